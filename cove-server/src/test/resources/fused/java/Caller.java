import dev.cove.api.Context;
import dev.cove.api.Handler;
import dev.cove.api.InvocationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls params.target params.times times with {i} over params.params, sleeping params.pauseMs between
 * calls, and answers each call's result (or what its error carried) with its own pid.
 */
public class Caller implements Handler {
    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handle(Map<String, Object> params, Context context) throws Exception {
        int times = ((Number) params.getOrDefault("times", 1)).intValue();
        long pauseMs = ((Number) params.getOrDefault("pauseMs", 0)).longValue();
        List<Object> calls = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            if (i > 0 && pauseMs > 0) {
                Thread.sleep(pauseMs);
            }
            Map<String, Object> given = new HashMap<>((Map<String, Object>) params.getOrDefault("params", Map.of()));
            given.put("i", i);
            try {
                calls.add(context.invoke((String) params.get("target"), given));
            } catch (InvocationException e) {
                Map<String, Object> failed = new HashMap<>();
                failed.put("failed", e.getMessage());
                failed.put("status", e.status());
                failed.put("activationId", e.activationId().orElse(null));
                failed.put("calledResult", e.result());
                calls.add(failed);
            }
        }
        return Map.of("pid", ProcessHandle.current().pid(), "me", context.activationId(), "calls", calls);
    }
}
