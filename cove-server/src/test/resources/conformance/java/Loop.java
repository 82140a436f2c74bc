import java.util.Map;

/** Loops until interrupted: in-process Java code is stopped by interruption, not by a kill. */
public class Loop {
    public static Map<String, Object> main(Map<String, Object> params) throws InterruptedException {
        while (true) {
            Thread.sleep(10);
        }
    }
}
