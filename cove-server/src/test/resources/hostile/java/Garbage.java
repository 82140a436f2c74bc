import java.util.Map;

/** Allocates a gigabyte a megabyte at a time, keeping only the last 16 MB: garbage, not a bomb. */
public class Garbage {
    public static Map<String, Object> main(Map<String, Object> params) {
        long[][] ring = new long[16][];
        long allocated = 0;
        for (int i = 0; allocated < 1024L * 1024 * 1024; i++) {
            long[] block = new long[128 * 1024];
            block[0] = i;
            ring[i % ring.length] = block;
            allocated += block.length * 8L;
        }
        return Map.of("allocatedMb", allocated / (1024 * 1024));
    }
}
