import java.util.Map;

/**
 * A noisy neighbour for noisy_neighbours.py: an endless loop in code the inline tier accepts, so that it
 * runs inside the server's own JVM until its budget's checks stop it at its time limit.
 */
public class Spin {
    public static Map<String, Object> main(Map<String, Object> params) {
        long spins = 0;
        while (true) {
            spins++;
        }
    }
}
