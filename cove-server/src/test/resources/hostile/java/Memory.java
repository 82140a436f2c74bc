import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Allocates memory and touches every byte of it, keeping all of it, until something stops it. */
public class Memory {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        if (params.get("attack") == null) {
            return Map.of("pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        }
        List<byte[]> kept = new ArrayList<>();
        while (true) {
            byte[] block = new byte[8 * 1024 * 1024];
            Arrays.fill(block, (byte) 1);
            kept.add(block);
        }
    }
}
