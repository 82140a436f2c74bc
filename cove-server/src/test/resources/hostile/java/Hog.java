import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every megabyte it allocates, in code the inline tier accepts. */
public class Hog {
    public static Map<String, Object> main(Map<String, Object> params) {
        if (params.get("attack") == null) {
            return Map.of("kept", 0);
        }
        List<long[]> kept = new ArrayList<>();
        while (true) {
            long[] block = new long[128 * 1024];
            block[block.length - 1] = kept.size();
            kept.add(block);
        }
    }
}
