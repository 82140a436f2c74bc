import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.Map;

/** Greets by name: cove deploy examples/Hello.java, then cove invoke Hello -p name Ada. */
public class Hello implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        Object name = params.getOrDefault("name", "world");
        return Map.of("greeting", "Hello, " + name + "!");
    }
}
