import java.util.Map;

public class Logs {
    public static Map<String, Object> main(Map<String, Object> params) {
        System.out.println("out line 1");
        System.out.println("out line 2");
        System.err.println("err line");
        return Map.of("ok", true);
    }
}
