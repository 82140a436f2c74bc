package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.TriggerFire;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes over real HTTP, in front of a node that has no functions: every request of
 * {@code routes.txt} gets its status and answer, in the order its routes check things (credentials,
 * namespace, name, method, body), and the routes look up the names they decoded from the path.
 */
class HttpApiTest {
    private static final Path ROUTES = Path.of("src/test/resources/routes.txt");
    private static final long MAX_PAYLOAD_BYTES = 1024;
    private static final Namespace GUEST = new Namespace(Namespace.GUEST, "uuid", "key");

    private static final List<String> asked = new CopyOnWriteArrayList<>();
    private static Vertx vertx;
    private static int forClients;
    private static int forSandboxes;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpApi api = new HttpApi(vertx, emptyNode(), MAX_PAYLOAD_BYTES);
        forClients = listen(api::handle);
        forSandboxes = listen(api::handleFromSandbox);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        asked.clear();
    }

    /**
     * A node that knows the guest's key and nothing else: each function looked up is recorded, and missing;
     * no trigger exists to fire.
     */
    private static Node emptyNode() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "authenticate" -> Optional.of(GUEST).filter(n -> n.auth().equals(args[0] + ":" + args[1]));
                    case "function" -> {
                        asked.add((String) args[1]);
                        yield Optional.empty();
                    }
                    case "fire" -> CompletableFuture.completedFuture(new TriggerFire.NoSuchTrigger());
                    case "metrics" -> metrics;
                    case "toString" -> "a node without functions";
                    default -> nothing(method);
                });
    }

    private static Object nothing(Method method) {
        Class<?> type = method.getReturnType();
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == boolean.class) {
            return false;
        }
        throw new UnsupportedOperationException(method.getName());
    }

    private static int listen(Handler<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    static Stream<String> routes() throws IOException {
        return Files.readAllLines(ROUTES).stream().filter(line -> !line.isBlank() && !line.startsWith("#"));
    }

    @ParameterizedTest
    @MethodSource("routes")
    void eachRequestGetsItsAnswer(String line) throws Exception {
        String[] request = line.substring(0, line.indexOf(" => ")).split("\\|", 4);
        boolean sandbox = request[0].startsWith("S:");
        String method = request[0].substring(sandbox ? 2 : 0);
        String head = method + " " + request[1] + " HTTP/1.1\r\nHost: localhost\r\n" + credentials(request[2]);
        String answer = describe(send(sandbox ? forSandboxes : forClients, head, request[3]));
        assertThat(request[0] + "|" + request[1] + "|" + request[2] + "|" + request[3] + " => " + answer
                + (asked.isEmpty() ? "" : " asked=" + asked)).isEqualTo(line);
    }

    /** HTTP/1.1 asks every request to name its host; HTTP/1.0 did not. */
    @Test
    void aRequestWithoutHostIsRefusedUnlessItIsHttp10() throws Exception {
        assertThat(describe(send(forClients, "GET /api/v1 HTTP/1.1\r\n", "")))
                .isEqualTo("400 " + Messages.NO_AUTHORITY);
        assertThat(describe(send(forClients, "GET /api/v1 HTTP/1.0\r\n", "")))
                .startsWith("200 {\"description\":\"Cove REST API\"");
    }

    private static String credentials(String which) {
        String value = switch (which) {
            case "-" -> "";
            case "guest" -> "Basic " + base64(GUEST.auth());
            case "wrong-key" -> "Basic " + base64(GUEST.uuid() + ":wrong");
            case "no-colon" -> "Basic " + base64(GUEST.uuid() + GUEST.key());
            case "bad-base64" -> "Basic %%%";
            case "bearer" -> "Bearer " + GUEST.key();
            default -> throw new IllegalArgumentException("no credentials " + which);
        };
        return value.isEmpty() ? "" : "Authorization: " + value + "\r\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private record Answer(int status, String body) {}

    /** Sends one request on a connection of its own, as raw bytes, so that its path goes as written. */
    private static Answer send(int port, String head, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            writeBody(out, body);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (IOException e) {
                // a server that refused a body it did not read may reset the connection after its answer
            }
            String text = received.toString(StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    private static void writeBody(OutputStream out, String body) throws IOException {
        if (body.isEmpty()) {
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        boolean big = body.startsWith("@");
        byte[] bytes = (big ? "{\"a\":\"" + "x".repeat(2000) + "\"}" : body).getBytes(StandardCharsets.UTF_8);
        boolean chunked = body.equals("@chunked-big");
        out.write(("Content-Type: application/json\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + bytes.length + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (!chunked) {
            out.write(bytes);
            return;
        }
        for (int from = 0; from < bytes.length; from += 500) {
            int length = Math.min(500, bytes.length - from);
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, from, length);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The status and an error's message (its code differs every time), a JSON body, or the body's length. */
    private static String describe(Answer answer) {
        JsonNode json;
        try {
            json = TestCove.JSON.readTree(answer.body());
        } catch (IOException e) {
            return answer.status() + " <" + answer.body().length() + " chars>";
        }
        if (json instanceof ObjectNode error && error.has("error") && error.has("code")) {
            return answer.status() + " " + error.path("error").asText().replace("\n", "\\n");
        }
        return answer.status() + " " + (json == null || json.isMissingNode() ? "<0 chars>" : json.toString());
    }
}
