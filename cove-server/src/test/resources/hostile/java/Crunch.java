import java.util.Map;

/** Computes for params.ms milliseconds by the clock, then answers: long work, not an endless loop. */
public class Crunch {
    public static Map<String, Object> main(Map<String, Object> params) {
        long until = System.nanoTime() + ((Number) params.get("ms")).longValue() * 1_000_000;
        long rounds = 0;
        while (System.nanoTime() < until) {
            rounds++;
        }
        return Map.of("done", true, "rounds", rounds > 0);
    }
}
