import java.util.Arrays;
import java.util.Map;

public class Big {
    public static Map<String, Object> main(Map<String, Object> params) {
        char[] data = new char[((Number) params.get("size")).intValue()];
        Arrays.fill(data, 'x');
        return Map.of("data", new String(data));
    }
}
