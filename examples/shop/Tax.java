import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.util.Map;

/** The tax rate of a product: food is taxed less than drinks. */
public class Tax implements Handler {
    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) {
        boolean food = "cake".equals(params.get("sku"));
        return Map.of("sku", String.valueOf(params.get("sku")), "rate", food ? 0.07 : 0.19);
    }
}
