import java.util.Map;

/** Returns the map params.value holds, or null without one. */
public class Returns {
    @SuppressWarnings("unchecked")
    public static Map<String, Object> main(Map<String, Object> params) {
        return (Map<String, Object>) params.get("value");
    }
}
