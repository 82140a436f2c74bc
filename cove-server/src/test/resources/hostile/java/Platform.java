import java.util.Map;

/** Reaches for the platform's own classes, as a function inside the platform's JVM once could. */
public class Platform {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        Class<?> platform = Class.forName("dev.cove.core.Platform");
        return Map.of("found", platform.getName());
    }
}
