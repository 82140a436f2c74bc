package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the server, started as ./cove starts it (the shaded jar in its own JVM): every
 * deployment answered before the kill is there after a restart, even one answered a moment before,
 * and activations older than the group-commit window are too.
 */
class CrashRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/cove.jar");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String apiHost;
    private String auth;

    @Test
    void nothingDeployedIsLostToKill9() throws Exception {
        int port = freePort();
        Process first = start(port);
        put("kept", "function main(p) { return {kept: true}; }");
        String activationId = invoke("kept").path("activationId").asText();
        Thread.sleep(500); // well past the activation records' group-commit window
        put("justdeployed", "function main(p) { return {just: true}; }");
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, right after the answer

        Process second = start(port);
        try {
            assertThat(get("/api/v1/namespaces/_/actions/kept").path("version").asText()).isEqualTo("0.0.1");
            assertThat(invoke("kept").path("response").path("result").path("kept").asBoolean()).isTrue();
            assertThat(invoke("justdeployed").path("response").path("result").path("just").asBoolean()).isTrue();
            assertThat(get("/api/v1/namespaces/_/activations/" + activationId).path("name").asText())
                    .isEqualTo("kept");
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void invocationsAnswered202RunAfterKill9AndAfterAStop() throws Exception {
        int port = freePort();
        Process first = start(port);
        String slow = "function main(p) { return new Promise((r) => setTimeout(() => r({n: p.n}), 1000)); }";
        com.fasterxml.jackson.databind.node.ObjectNode action = JSON.createObjectNode();
        action.putObject("exec").put("kind", "nodejs:20").put("code", slow);
        action.putObject("limits").put("maxInstances", 1);
        String body = action.toString();
        assertThat(send(HttpRequest.newBuilder(URI.create(apiHost + "/api/v1/namespaces/_/actions/slow"))
                .PUT(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(200);
        java.util.List<String> killed = java.util.List.of(async("slow", 1), async("slow", 2), async("slow", 3));
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, right after the answers

        Process second = start(port);
        java.util.List<String> stopped;
        try {
            for (int i = 0; i < killed.size(); i++) {
                assertThat(eventually(killed.get(i)).path("response").path("result").path("n").asInt()).isEqualTo(i + 1);
            }
            stopped = java.util.List.of(async("slow", 4), async("slow", 5));
        } finally {
            second.destroy(); // a clean stop, with both still queued or running
            second.waitFor(30, TimeUnit.SECONDS);
        }
        Process third = start(port);
        try {
            assertThat(eventually(stopped.get(0)).path("response").path("result").path("n").asInt()).isEqualTo(4);
            assertThat(eventually(stopped.get(1)).path("response").path("result").path("n").asInt()).isEqualTo(5);
        } finally {
            third.destroy();
            third.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkflowStartedWithoutWaitingRunsAfterKill9() throws Exception {
        int port = freePort();
        Process first = start(port);
        String app = """
                {"functions": [{"name": "inc", "exec": {"kind": "nodejs:20", "code": "function main(p) { return {n: p.n + 1}; }"}}],
                 "workflow": {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 2, "Next": "Inc"},
                              "Inc": {"Type": "Task", "Resource": "inc", "End": true}}}}""";
        assertThat(send(HttpRequest.newBuilder(URI.create(apiHost + "/api/v1/namespaces/_/applications/napper"))
                .PUT(HttpRequest.BodyPublishers.ofString(app))).statusCode()).isEqualTo(200);
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(apiHost
                + "/api/v1/namespaces/_/applications/napper/executions")).POST(HttpRequest.BodyPublishers.ofString("{\"n\": 41}")));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = JSON.readTree(started.body()).path("executionId").asText();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, while it waits

        Process second = start(port);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode execution = get("/api/v1/namespaces/_/executions/" + id);
            while (execution.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                execution = get("/api/v1/namespaces/_/executions/" + id);
            }
            assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(execution.path("output").path("n").asInt()).isEqualTo(42);
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Invokes without waiting; answers the activation id of the 202. */
    private String async(String name, int n) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(apiHost
                + "/api/v1/namespaces/_/actions/" + name + "?blocking=false"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).path("activationId").asText();
    }

    /** The activation once it has ended successfully; fails after 30 s. */
    private JsonNode eventually(String activationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(apiHost
                    + "/api/v1/namespaces/_/activations/" + activationId)).GET());
            if (answer.statusCode() == 200 && JSON.readTree(answer.body()).path("statusCode").asInt(-1) == 0) {
                return JSON.readTree(answer.body());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the activation " + activationId + " did not succeed within 30 s");
    }

    private Process start(int port) throws Exception {
        Path config = dir.resolve("config.json");
        Files.deleteIfExists(config);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString(), "up", "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + port + ".log").toFile());
        builder.environment().put("COVE_CONFIG", config.toString());
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(config) && System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server exited: " + log(port)).isTrue();
            Thread.sleep(50);
        }
        JsonNode written = JSON.readTree(config.toFile());
        apiHost = written.path("apihost").asText();
        auth = "Basic " + Base64.getEncoder().encodeToString(written.path("auth").asText().getBytes(StandardCharsets.UTF_8));
        return process;
    }

    private String log(int port) throws Exception {
        Path log = dir.resolve("server-" + port + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void put(String name, String code) throws Exception {
        String body = JSON.createObjectNode().set("exec", JSON.createObjectNode().put("kind", "nodejs:20")
                .put("code", code)).toString();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(apiHost
                + "/api/v1/namespaces/_/actions/" + name + "?overwrite=true")).PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private JsonNode invoke(String name) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(apiHost
                + "/api/v1/namespaces/_/actions/" + name + "?blocking=true")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(apiHost + path)).GET());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("authorization", auth).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
