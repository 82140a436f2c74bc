import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Floods its standard output straight through the file descriptor, past the worker's own log cap. */
public class Logflood {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        byte[] chunk = ("x".repeat(1023) + "\n").repeat(64).getBytes(StandardCharsets.US_ASCII);
        long bytes = ((Number) params.get("bytes")).longValue();
        long written = 0;
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        while (written < bytes) {
            fd1.write(chunk);
            written += chunk.length;
        }
        return Map.of("written", written);
    }
}
