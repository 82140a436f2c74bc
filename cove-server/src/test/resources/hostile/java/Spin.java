import java.util.Map;

/** An endless loop in code the inline tier accepts: its budget checks must stop it. */
public class Spin {
    public static Map<String, Object> main(Map<String, Object> params) {
        if (params.get("attack") == null) {
            return Map.of("spun", 0);
        }
        long spins = 0;
        while (true) {
            try {
                spins++;
            } catch (Throwable t) {
                spins--; // swallowing the stop would keep it spinning
            }
        }
    }
}
