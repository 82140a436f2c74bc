import java.util.Map;

/** Recurses without end. */
public class Recursion {
    static long depth(long n) {
        return depth(n + 1) + 1;
    }

    public static Map<String, Object> main(Map<String, Object> params) {
        return Map.of("depth", depth(0));
    }
}
