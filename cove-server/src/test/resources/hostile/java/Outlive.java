import java.util.Map;

/** Starts a thread that spins on after its activation has ended, and returns at once. */
public class Outlive {
    public static Map<String, Object> main(Map<String, Object> params) {
        Thread spinner = new Thread(() -> {
            long spins = 0;
            while (true) {
                spins++;
            }
        });
        spinner.setDaemon(false);
        spinner.start();
        return Map.of("started", spinner.getName());
    }
}
