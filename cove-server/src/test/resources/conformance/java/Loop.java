import java.util.Map;

/** Spins until something stops it: inline its budget checks do, in the process tier its worker is killed. */
public class Loop {
    public static Map<String, Object> main(Map<String, Object> params) {
        long spins = 0;
        while (true) {
            spins++;
        }
    }
}
