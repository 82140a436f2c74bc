package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.cove.server.RuntimeConformanceIT.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API from inside bubblewrap sandboxes, in both network modes: each sandbox's keeper
 * relays {@code __OW_API_HOST} (its own loopback) to the server's API socket; the API asks for the
 * namespace's key as of any client, serves {@code /api/v1} alone there, and the relay neither
 * stalls the keeper's other work nor outlives its sandbox.
 */
class ApiRelayIT {
    private static final Path FIXTURES = Path.of("src/test/resources/relay");
    private static final long DEADLINE_NS = 20_000_000_000L;

    @TempDir
    static Path dataDir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dataDir);
        assertThat(cove.server.isolation()).contains("bubblewrap");
        assertThat(cove.deploy("relay-target", "python:3", "def main(a):\n    return {'got': a}\n", TestCove.object())
                .status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (cove != null) {
            cove.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"nodejs, none", "nodejs, outbound", "python, none", "python, outbound"})
    void aFunctionWithTheKeyInvokesAnotherThroughTheApi(String runtime, String network) throws Exception {
        String name = deployCaller(runtime, network, true);
        String big = "x".repeat(300_000); // more than one read of the relay, both ways
        ObjectNode call = call("POST", "/api/v1/namespaces/_/actions/relay-target?blocking=true&result=true");
        call.putObject("body").put("from", name).put("big", big);
        JsonNode answer = result(cove.invoke(name, call));
        assertThat(answer.path("status").asInt()).as("%s", answer.toString().replace(big, "…")).isEqualTo(200);
        assertThat(answer.path("body").path("got").path("from").asText()).isEqualTo(name);
        assertThat(answer.path("body").path("got").path("big").asText()).isEqualTo(big);

        JsonNode listed = result(cove.invoke(name, call("GET", "/api/v1/namespaces/_/actions")));
        assertThat(listed.path("status").asInt()).isEqualTo(200);
        assertThat(listed.path("body").findValuesAsText("name")).contains("relay-target", name);
    }

    /** OpenWhisk's npm client, with nothing but what the function's environment gives it. */
    @Test
    void openWhisksOwnClientWorksFromTheEnvironmentAlone() throws Exception {
        ObjectNode extra = TestCove.object();
        extra.putArray("annotations").addObject().put("key", "provide-api-key").put("value", true);
        TestCove.Answer deployed = cove.deploy("owclient", "nodejs:20", Files.readString(FIXTURES.resolve("owclient.js")),
                extra);
        assertThat(deployed.status()).as("%s", deployed.json()).isEqualTo(200);

        TestCove.Answer answer = cove.invoke("owclient", TestCove.object());

        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
        assertThat(result(answer).path("result").path("got").path("from").asText()).isEqualTo("openwhisk");
        assertThat(result(answer).path("names").toString()).contains("\"relay-target\"", "\"owclient\"");
    }

    @ParameterizedTest
    @CsvSource({"nodejs, none", "python, outbound"})
    void aFunctionWithoutTheKeyIsRefused(String runtime, String network) throws Exception {
        String name = deployCaller(runtime, network, false);
        JsonNode answer = result(cove.invoke(name, call("GET", "/api/v1/namespaces/_/actions")));
        assertThat(answer.path("status").asInt()).as("%s", answer).isEqualTo(401);
    }

    @Test
    void onlyTheRestApiIsServedToFunctions() throws Exception {
        String name = deployCaller("python", "none", true);
        for (String path : List.of("/metrics", "/", "/fn/relay-target")) {
            JsonNode answer = result(cove.invoke(name, call("GET", path)));
            assertThat(answer.path("status").asInt()).as("%s: %s", path, answer).isEqualTo(404);
        }
    }

    @Test
    void theKeeperKeepsWorkingWhileAFunctionHoldsAndFloodsTheRelayAndItsConnectionsEndWithTheSandbox()
            throws Exception {
        ObjectNode app = ApplicationsIT.app(
                ApplicationsIT.function("hog", "python:3", Files.readString(FIXTURES.resolve("holder.py"))),
                ApplicationsIT.function("talker", "python:3",
                        "def main(a):\n    for i in range(3):\n        print('line', i, flush=True)\n    return {'ok': a['n']}\n"),
                ApplicationsIT.function("quitter", "python:3", "import os\ndef main(a):\n    os._exit(3)\n"));
        assertThat(cove.put("/api/v1/namespaces/_/applications/relay-hog", app).status()).isEqualTo(200);
        long before = relayedConnections();

        JsonNode held = result(cove.invoke("hog", RuntimeConformanceIT.params().put("connections", 100).put("busy", 4)));
        assertThat(held.path("held").asInt()).as("%s", held).isEqualTo(100);
        awaitRelayedConnections(n -> n >= before + 100, "the held connections reach the server");

        for (int n = 0; n < 5; n++) {
            TestCove.Answer talked = cove.invoke("talker", RuntimeConformanceIT.params().put("n", n));
            assertThat(result(talked).path("ok").asInt()).as("%s", talked.json()).isEqualTo(n);
            JsonNode record = cove.activation(talked.json().path("activationId").asText());
            assertThat(record.path("logs").toString()).contains("line 0", "line 1", "line 2");
        }
        long start = System.nanoTime();
        TestCove.Answer quit = cove.invoke("quitter", RuntimeConformanceIT.params());
        assertThat(quit.json().path("response").path("status").asText()).as("%s", quit.json())
                .isEqualTo("action developer error");
        assertThat(System.nanoTime() - start).as("the exit is reported, not timed out").isLessThan(DEADLINE_NS);

        assertThat(cove.delete("/api/v1/namespaces/_/applications/relay-hog").status()).isEqualTo(200);
        awaitRelayedConnections(n -> n <= before, "the sandbox's connections close with it");
    }

    private static String deployCaller(String runtime, String network, boolean withKey) throws Exception {
        String name = "caller-" + runtime + "-" + network + (withKey ? "" : "-nokey");
        ObjectNode extra = TestCove.object();
        extra.putObject("limits").put("network", network);
        extra.putArray("annotations").addObject().put("key", "provide-api-key").put("value", withKey);
        String file = runtime.equals("nodejs") ? "apicall.js" : "apicall.py";
        TestCove.Answer deployed = cove.deploy(name, RuntimeConformanceIT.kind(runtime),
                Files.readString(FIXTURES.resolve(file)), extra);
        assertThat(deployed.status()).as("%s", deployed.json()).isEqualTo(200);
        return name;
    }

    private static ObjectNode call(String method, String path) {
        return TestCove.object().put("method", method).put("path", path);
    }

    /**
     * The connections open on the server's API socket, each one relayed from some sandbox, as the
     * metrics say. (The host's {@code /proc/net/unix} can't say: the server's end of a Unix connection
     * belongs to the network namespace of the process that connected, the sandbox's.)
     */
    private static long relayedConnections() throws Exception {
        for (String line : cove.get("/metrics").raw().body().split("\n")) {
            if (line.startsWith("cove_api_relay_connections ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no cove_api_relay_connections in the metrics");
    }

    private static void awaitRelayedConnections(LongPredicate until, String what)
            throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NS;
        long n = relayedConnections();
        while (!until.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = relayedConnections();
        }
        assertThat(until.test(n)).as("%s (%d connections)", what, n).isTrue();
    }
}
