import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Counts its runs in its cache, then, attacking, keeps every megabyte it allocates. */
public class Cachehog implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        long runs = context.cache().increment("runs", 1);
        if (params.get("attack") == null) {
            return Map.of("runs", runs);
        }
        List<long[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new long[128 * 1024]);
        }
    }
}
