import java.lang.reflect.Method;
import java.util.Map;

/** Reflects into java.lang.Module to open the JDK's internals to itself. */
public class Opens {
    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        Method open = Module.class.getDeclaredMethod("implAddOpens", String.class);
        open.setAccessible(true);
        open.invoke(Object.class.getModule(), "jdk.internal.misc");
        return Map.of("opened", true);
    }
}
