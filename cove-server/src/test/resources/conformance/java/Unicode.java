import java.util.Map;

public class Unicode {
    public static Map<String, Object> main(Map<String, Object> params) {
        String text = (String) params.get("text");
        return Map.of("text", text + " ✓ 日本語 🚀", "length", text.codePointCount(0, text.length()));
    }
}
