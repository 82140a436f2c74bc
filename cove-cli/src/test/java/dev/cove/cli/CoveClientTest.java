package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How answers the commands do not handle become one line. A scripted server stands in for Cove:
 * these are the statuses a real one gives only under conditions a unit test can't make cheaply.
 */
class CoveClientTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, String> lastRequest = new ConcurrentHashMap<>();
    private volatile int status;
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        lastRequest.put("method", exchange.getRequestMethod());
        lastRequest.put("uri", exchange.getRequestURI().toString());
        lastRequest.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        lastRequest.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void respond(int newStatus, String newBody) {
        status = newStatus;
        body = newBody;
    }

    private Cli cli(String auth) {
        String host = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> env = auth.isEmpty() ? Map.of("COVE_APIHOST", host) : Map.of("COVE_APIHOST", host, "COVE_AUTH", auth);
        return Cli.with(env, dir.resolve("none.json"));
    }

    @Test
    void refusedCredentialsSaySo() {
        respond(401, "{\"error\": \"The supplied authentication is invalid\", \"code\": \"c1\"}");

        Cli.Result result = cli("u:wrong").run("list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("the server refused the credentials - check COVE_AUTH or run ./cove up again\n");
    }

    @Test
    void noCredentialsAtAllSaySo() {
        respond(401, "{\"error\": \"The resource requires authentication\", \"code\": \"c1\"}");

        Cli.Result result = cli("").run("list");

        assertThat(result.err()).isEqualTo("no credentials - run ./cove up (it writes the CLI's config) or set COVE_AUTH\n");
        assertThat(lastRequest.get("auth")).isEqualTo("null");
    }

    @Test
    void credentialsGoAsBasicAuth() {
        respond(200, "[]");

        cli("uuid:key").run("list");

        assertThat(lastRequest.get("auth")).isEqualTo("Basic dXVpZDprZXk=");
        assertThat(lastRequest.get("uri")).isEqualTo("/api/v1/namespaces/_/actions?limit=30&skip=0");
    }

    @Test
    void anUnknownFunctionNamesItself() {
        respond(404, "{\"error\": \"The requested resource does not exist.\", \"code\": \"c2\"}");

        for (String[] command : new String[][] {{"get", "x"}, {"delete", "x"}, {"invoke", "x"}}) {
            Cli.Result result = cli("u:k").run(command);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("no function named 'x' (cove list shows what is deployed)\n");
        }
    }

    @Test
    void anUnknownActivationNamesItself() {
        respond(404, "{\"error\": \"The requested resource does not exist.\", \"code\": \"c2\"}");

        Cli.Result result = cli("u:k").run("activation", "abc");

        assertThat(result.err()).isEqualTo("no activation with id 'abc' (cove activations lists the recent ones)\n");
    }

    @Test
    void otherErrorsCarryTheServersTextAndStatus() {
        respond(413, "{\"error\": \"The request content was malformed:\\nthe body is 2 MB, over the limit of 1 MB.\", \"code\": \"c3\"}");

        Cli.Result result = cli("u:k").run("invoke", "hello", "-p", "x", "y");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("The request content was malformed: the body is 2 MB, over the limit of 1 MB. (HTTP 413)\n");
    }

    @Test
    void anErrorWithoutJsonStillSaysTheStatus() {
        respond(503, "<html>Service Unavailable</html>");

        assertThat(cli("u:k").run("list").err()).isEqualTo("the server answered with an error (HTTP 503)\n");
    }

    @Test
    void namesAreEncodedInPaths() {
        respond(200, "{\"name\": \"a b\"}");

        cli("u:k").run("delete", "a b/c");

        assertThat(lastRequest.get("method")).isEqualTo("DELETE");
        assertThat(lastRequest.get("uri")).isEqualTo("/api/v1/namespaces/_/actions/a%20b%2Fc");
    }

    @Test
    void deployPutsWithOverwrite() {
        respond(200, "{\"name\": \"hello\", \"version\": \"0.0.2\", \"exec\": {\"kind\": \"nodejs:20\"}}");

        Cli.Result result = cli("u:k").run("deploy", writeSource(), "--name", "hello");

        assertThat(result.out()).isEqualTo("deployed hello (nodejs:20) as version 0.0.2\n");
        assertThat(lastRequest.get("method")).isEqualTo("PUT");
        assertThat(lastRequest.get("uri")).isEqualTo("/api/v1/namespaces/_/actions/hello?overwrite=true");
    }

    @Test
    void jsonPrintsTheAnswerAsItIs() {
        String answer = "{\"name\":\"hello\",\"version\":\"0.0.2\",\"exec\":{\"kind\":\"nodejs:20\"}}";
        respond(200, answer);

        assertThat(cli("u:k").run("deploy", writeSource(), "--json").out()).isEqualTo(answer + "\n");
    }

    @Test
    void aBlockingFailureIsAnAnswerNotAnHttpError() {
        respond(502, "{\"activationId\": \"0123456789abcdef0123456789abcdef\", \"response\": {\"status\": \"application error\","
                + " \"statusCode\": 1, \"success\": false, \"result\": {\"error\": \"no name given\"}}}");

        Cli.Result result = cli("u:k").run("invoke", "hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("application error: no name given (activation 0123456789abcdef0123456789abcdef)\n");
        assertThat(lastRequest.get("uri")).isEqualTo("/api/v1/namespaces/_/actions/hello?blocking=true&result=false");
    }

    @Test
    void anInvocationSendsItsParametersAsItsBody() {
        respond(200, "{\"activationId\": \"0123456789abcdef0123456789abcdef\", \"response\": {\"status\": \"success\","
                + " \"statusCode\": 0, \"success\": true, \"result\": {\"greeting\": \"Hello, Ada!\"}}}");

        Cli.Result result = cli("u:k").run("invoke", "hello", "-p", "name", "Ada");

        assertThat(result.exitCode()).isZero();
        assertThat(lastRequest.get("method")).isEqualTo("POST");
        assertThat(lastRequest.get("body")).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(result.out()).contains("\"greeting\": \"Hello, Ada!\"");
    }

    @Test
    void aHostThatCantBeFoundSaysSo() {
        Cli.Result result = Cli.with(Map.of("COVE_APIHOST", "http://no-such-host.invalid:3233", "COVE_AUTH", "u:k"),
                dir.resolve("none.json")).run("list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("cannot find the host of http://no-such-host.invalid:3233 - check --apihost or COVE_APIHOST\n");
    }

    private String writeSource() {
        try {
            return java.nio.file.Files.writeString(dir.resolve("hello.js"), "function main() {}").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
