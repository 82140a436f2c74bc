import java.util.Map;

/** Returns a result far over the size limit; with `throws`, fails with an error message that large instead. */
public class Bigresult {
    public static Map<String, Object> main(Map<String, Object> params) {
        if (params.get("throws") != null) {
            throw new IllegalStateException("x".repeat(((Number) params.get("throws")).intValue()));
        }
        return Map.of("data", "x".repeat(((Number) params.get("bytes")).intValue()));
    }
}
