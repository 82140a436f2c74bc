import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tries to write files outside /tmp, and over its own code. */
public class Writes {
    static String attempt(Path path) {
        try {
            Files.writeString(path, "hostile");
            return "written";
        } catch (AccessDeniedException e) {
            return "EACCES";
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason());
            return reason.contains("Read-only") ? "EROFS" : reason.contains("not permitted") ? "EPERM" : reason;
        } catch (Exception e) {
            return e.toString();
        }
    }

    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Object path : (List<?>) params.get("paths")) {
            outcomes.put((String) path, attempt(Path.of((String) path)));
        }
        Path own = Path.of(Writes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        outcomes.put("ownCode", attempt(Files.isDirectory(own) ? own.resolve("Writes.class") : own));
        return Map.of("outcomes", outcomes);
    }
}
