import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.Map;
import java.util.TreeSet;

public class Env implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        Map<String, Object> result = new java.util.HashMap<>();
        result.put("value", context.env().get((String) params.get("name")));
        result.put("keys", new java.util.ArrayList<>(new TreeSet<>(context.env().keySet())));
        return result;
    }
}
