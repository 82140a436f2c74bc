import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * As netprobe.py: tries a TCP connection to each of params.targets (["host", port] pairs) and reports,
 * for each, "open" or the errno its failure's message names ("timeout" after a second), plus the
 * sandbox's routes as the kernel lists them.
 */
public class NetProbe {
    static final Map<String, String> ERRNOS = Map.of("Connection refused", "ECONNREFUSED",
            "Network is unreachable", "ENETUNREACH", "Permission denied", "EACCES", "No route to host", "EHOSTUNREACH");

    static String attempt(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return "open";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (UnknownHostException e) {
            return "dns:" + e.getMessage();
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            return ERRNOS.entrySet().stream().filter(m -> message.contains(m.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(message);
        }
    }

    public static Map<String, Object> main(Map<String, Object> params) throws Exception {
        TreeSet<String> interfaces = new TreeSet<>();
        List<String> routes = Files.readAllLines(Path.of("/proc/net/route"));
        for (String line : routes.subList(1, routes.size())) {
            if (!line.isBlank()) {
                interfaces.add(line.trim().split("\\s+")[0]);
            }
        }
        List<String> results = new ArrayList<>();
        for (Object target : (List<?>) params.getOrDefault("targets", List.of())) {
            List<?> pair = (List<?>) target;
            results.add(attempt((String) pair.get(0), ((Number) pair.get(1)).intValue()));
        }
        return Map.of("interfaces", new ArrayList<>(interfaces), "results", results);
    }
}
