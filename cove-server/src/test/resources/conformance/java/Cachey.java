import dev.cove.api.Cache;
import dev.cove.api.CacheException;
import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Exercises context.cache(): params.key names the entries; answers what each operation gave. */
public class Cachey implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        String key = (String) params.get("key");
        Cache cache = context.cache();
        Map<String, Object> out = new HashMap<>();
        out.put("missing", cache.get(key + "-nothing").orElse(null));
        cache.set(key, Map.of("n", 1, "text", "héllo"), Duration.ofSeconds(60));
        out.put("json", cache.get(key).orElseThrow());
        cache.set(key + "-bytes", new byte[] {0, 1, 2, (byte) 255});
        List<Object> bytes = new ArrayList<>();
        for (byte b : (byte[]) cache.get(key + "-bytes").orElseThrow()) {
            bytes.add(b & 0xff);
        }
        out.put("bytes", bytes);
        out.put("counted", List.of(cache.increment(key + "-n", 1), cache.increment(key + "-n", 5)));
        out.put("deleted", List.of(cache.delete(key), cache.delete(key)));
        out.put("computed", cache.getOrCompute(key + "-c", () -> "made", Duration.ofSeconds(60)));
        out.put("again", cache.getOrCompute(key + "-c", () -> "made twice", Duration.ofSeconds(60)));
        cache.app().set(key + "-shared", "for the application");
        out.put("appOwn", cache.get(key + "-shared").orElse(null));
        try {
            char[] big = new char[((Number) params.getOrDefault("big", 0)).intValue()];
            Arrays.fill(big, 'x');
            cache.set(key + "-big", new String(big));
            out.put("big", "stored");
        } catch (CacheException e) {
            out.put("big", "CacheError: " + e.getMessage());
        }
        return out;
    }
}
