import java.util.Map;

/** Prints lines until it has printed the bytes it was asked for, in code the inline tier accepts. */
public class Chatty {
    public static Map<String, Object> main(Map<String, Object> params) {
        long bytes = ((Number) params.get("bytes")).longValue();
        char[] line = new char[1023];
        java.util.Arrays.fill(line, 'x');
        String text = new String(line);
        long written = 0;
        while (written < bytes) {
            System.out.println(text);
            written += 1024;
        }
        return Map.of("written", written);
    }
}
