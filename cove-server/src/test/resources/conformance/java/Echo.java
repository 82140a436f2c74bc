import java.util.Map;

public class Echo {
    public static Map<String, Object> main(Map<String, Object> params) {
        return params;
    }
}
