import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tries to open TCP connections to the host's loopback ports it is given. */
public class Network {
    static String connect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return "connected";
        } catch (ConnectException e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("unreachable") ? "ENETUNREACH" : "ECONNREFUSED";
        } catch (NoRouteToHostException e) {
            return "EHOSTUNREACH";
        } catch (SocketTimeoutException e) {
            return "ETIMEDOUT";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public static Map<String, Object> main(Map<String, Object> params) {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Object port : (List<?>) params.get("ports")) {
            outcomes.put(port.toString(), connect(((Number) port).intValue()));
        }
        return Map.of("outcomes", outcomes);
    }
}
