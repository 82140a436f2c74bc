import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** An endless loop: only the activation's time limit ends it. */
public class Loop {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        if (params.get("attack") == null) {
            return Map.of("pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        }
        long spins = 0;
        while (true) {
            spins++;
        }
    }
}
