import java.util.Map;

public class Nonjson {
    public static Map<String, Object> main(Map<String, Object> params) {
        return Map.of("value", new Object());
    }
}
