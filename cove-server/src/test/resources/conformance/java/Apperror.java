import java.util.Map;

public class Apperror {
    public static Map<String, Object> main(Map<String, Object> params) {
        return Map.of("error", "not found");
    }
}
