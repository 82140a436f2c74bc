import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Exits the whole worker process in the middle of an activation. */
public class Exit {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        if (params.get("attack") == null) {
            return Map.of("pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        }
        System.out.println("exiting mid-activation");
        System.exit(3);
        return Map.of();
    }
}
