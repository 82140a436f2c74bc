import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.Map;

public class Entry implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        throw new IllegalStateException("wrong entry");
    }
}

class Greet implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        return Map.of("greeting", "hello " + params.get("name"));
    }
}
