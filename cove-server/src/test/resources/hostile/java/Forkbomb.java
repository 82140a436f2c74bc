import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts child processes as fast as it can, forever, ignoring every failure to start one. */
public class Forkbomb {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        if (params.get("attack") == null) {
            return Map.of("pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        }
        ProcessBuilder sleeper = new ProcessBuilder("/bin/sleep", "600").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        while (true) {
            for (int i = 0; i < 16; i++) {
                try {
                    sleeper.start();
                } catch (IOException refused) {
                    // the pids limit refused one: try again
                }
            }
        }
    }
}
