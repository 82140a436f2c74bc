import java.util.Map;

/** Prints params.lines numbered lines tagged with params.tag, then returns the tag. */
public class Chatty {
    public static Map<String, Object> main(Map<String, Object> params) {
        int lines = ((Number) params.get("lines")).intValue();
        for (int i = 0; i < lines; i++) {
            System.out.println(params.get("tag") + " " + i);
        }
        return Map.of("tag", params.get("tag"));
    }
}
