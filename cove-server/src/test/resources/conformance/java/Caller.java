import dev.cove.api.Context;
import dev.cove.api.Handler;
import dev.cove.api.InvocationException;
import java.util.HashMap;
import java.util.Map;

/** Calls params.target with params.params: invoke, or send when params.mode is "send". */
public class Caller implements Handler {
    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        String target = (String) params.get("target");
        Map<String, Object> given = (Map<String, Object>) params.getOrDefault("params", Map.of());
        Map<String, Object> out = new HashMap<>();
        try {
            if ("send".equals(params.get("mode"))) {
                out.put("activationId", context.send(target, given));
            } else {
                out.put("result", context.invoke(target, given));
                out.put("me", context.activationId());
            }
        } catch (InvocationException e) {
            out.put("failed", e.getMessage());
            out.put("name", "InvocationError");
            out.put("status", e.status());
            out.put("activationId", e.activationId().orElse(null));
            out.put("calledResult", e.activationId().isPresent() ? e.result() : null);
        }
        return out;
    }
}
