import java.util.Map;

public class Slow {
    public static Map<String, Object> main(Map<String, Object> params) throws InterruptedException {
        long ms = ((Number) params.get("ms")).longValue();
        Thread.sleep(ms);
        return Map.of("slept", ms);
    }
}
