import java.util.Map;

/** Halts the JVM it runs in, at once, without shutdown hooks. */
public class Halt {
    public static Map<String, Object> main(Map<String, Object> params) {
        System.out.println("halting");
        Runtime.getRuntime().halt(5);
        return Map.of();
    }
}
