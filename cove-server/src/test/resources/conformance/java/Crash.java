import java.util.Map;

/** The in-process tier's crash: an Error (here a stack overflow) that ends the activation, not the platform. */
public class Crash {
    public static Map<String, Object> main(Map<String, Object> params) {
        System.out.println("about to crash");
        return recurse(params);
    }

    private static Map<String, Object> recurse(Map<String, Object> params) {
        return recurse(params);
    }
}
