import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A noisy neighbour for noisy_neighbours.py: keeps every megabyte it allocates, in code the inline tier
 * accepts. Its budget stops it inline at its memory limit; it then runs again in a JVM worker of its own,
 * whose sandbox's memory limit kills it.
 */
public class Hog {
    public static Map<String, Object> main(Map<String, Object> params) {
        List<long[]> kept = new ArrayList<>();
        while (true) {
            long[] block = new long[128 * 1024];
            block[block.length - 1] = kept.size();
            kept.add(block);
        }
    }
}
