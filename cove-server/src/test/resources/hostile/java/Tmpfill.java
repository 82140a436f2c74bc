import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a file in /tmp until the disk says no, and reports what it was told. */
public class Tmpfill {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        byte[] block = new byte[1024 * 1024];
        java.util.Arrays.fill(block, (byte) 'x');
        long written = 0;
        try (OutputStream out = Files.newOutputStream(Path.of("/tmp", (String) params.get("file")))) {
            while (true) {
                out.write(block);
                out.flush();
                written += block.length;
            }
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            String code = message.toLowerCase().contains("no space left") ? "ENOSPC" : e.getClass().getName();
            return Map.of("code", code, "message", message, "written", written);
        }
    }
}
