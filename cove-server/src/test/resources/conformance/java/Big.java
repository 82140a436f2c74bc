import java.util.Map;

public class Big {
    public static Map<String, Object> main(Map<String, Object> params) {
        return Map.of("data", "x".repeat(((Number) params.get("size")).intValue()));
    }
}
