import java.util.Map;

/** Its static initialiser throws, so the class never loads. */
public class Staticinit {
    static final int VALUE = fail();

    static int fail() {
        throw new IllegalStateException("static boom");
    }

    public static Map<String, Object> main(Map<String, Object> params) {
        return Map.of("value", VALUE);
    }
}
