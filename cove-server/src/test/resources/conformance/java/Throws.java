import java.util.Map;

public class Throws {
    public static Map<String, Object> main(Map<String, Object> params) {
        throw new IllegalStateException("boom");
    }
}
