import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.HashMap;
import java.util.Map;

/** Says who ran it and where; params.fail makes it throw, answer an error, or never return. */
public class Callee implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        System.out.println("callee ran " + params.get("i"));
        Object fail = params.get("fail");
        if ("throw".equals(fail)) {
            throw new IllegalStateException("boom " + params.get("i"));
        }
        if ("error".equals(fail)) {
            return Map.of("error", "no " + params.get("i"));
        }
        if ("loop".equals(fail)) {
            spin();
        }
        Map<String, Object> out = new HashMap<>();
        out.put("pid", ProcessHandle.current().pid());
        out.put("i", params.get("i"));
        out.put("id", context.activationId());
        out.put("name", "/" + context.namespace() + "/" + context.functionName());
        out.put("version", context.functionVersion());
        out.put("fixed", params.get("fixed"));
        return out;
    }

    private static void spin() {
        long spins = 0;
        while (true) {
            spins++;
        }
    }
}
