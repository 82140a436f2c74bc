import java.util.Map;

/** Doubles a string inside the JDK's own code (StringBuilder.append) until something stops it. */
public class Doubler {
    public static Map<String, Object> main(Map<String, Object> params) {
        if (params.get("attack") == null) {
            return Map.of("length", 0);
        }
        StringBuilder text = new StringBuilder("x");
        while (true) {
            text.append(text);
        }
    }
}
