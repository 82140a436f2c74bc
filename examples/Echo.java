import java.util.Map;

/** Returns its parameters: the smallest possible function, for benchmarks. */
public class Echo {
    public static Map<String, Object> main(Map<String, Object> params) {
        return params;
    }
}
