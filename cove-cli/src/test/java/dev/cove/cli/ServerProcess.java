package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code cove up} as ./cove starts it: the shaded jar in a JVM of its own, on a fixed port and data
 * folder so that it can be killed and started again on both, with a client for its REST API.
 */
final class ServerProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/cove.jar");
    private static final long START_S = 60;
    private static final long STOP_S = 30;

    private final Path dir;
    private final int port;
    private final List<String> options;
    /** HTTP/1.1: the default, HTTP/2, asks each new connection to upgrade, which took 3 times as long under load. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String apiHost;
    private volatile String auth;
    private Process process;
    private int starts;

    /**
     * Keeps its data, its config file and each start's log in {@code dir}; not started yet; each start
     * gives {@code cove up} these options too.
     */
    ServerProcess(Path dir, String... options) throws IOException {
        this.dir = dir;
        this.port = freePort();
        this.options = List.of(options);
    }

    /** Starts the server and waits until it has written its config file (it then answers). */
    ServerProcess start() throws Exception {
        Path config = dir.resolve("config.json");
        Files.deleteIfExists(config);
        String java = ProcessHandle.current().info().command().orElse("java");
        starts++;
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString(), "up", "--port",
                Integer.toString(port), "--data", dataDir().toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
        builder.environment().put("COVE_CONFIG", config.toString());
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_S);
        while (!Files.exists(config) && System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server exited: %s", Files.readString(log())).isTrue();
            Thread.sleep(50);
        }
        assertThat(config).as("the server's config file, %d s after its start", START_S).exists();
        JsonNode written = JSON.readTree(config.toFile());
        apiHost = written.path("apihost").asText();
        auth = "Basic " + Base64.getEncoder().encodeToString(written.path("auth").asText().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** SIGKILL: the JVM gets no chance to write or close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_S, TimeUnit.SECONDS);
    }

    /** SIGTERM: a clean stop. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(STOP_S, TimeUnit.SECONDS)).as("stopped within %d s", STOP_S).isTrue();
    }

    /** Stops it if it runs, so that a failed test leaves no server behind. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_S, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    /** This start's output. */
    Path log() {
        return dir.resolve("server-" + port + "-" + starts + ".log");
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("authorization", auth).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where it answers: {@code http://127.0.0.1:PORT}. */
    String apiHost() {
        return apiHost;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(apiHost + path)).GET());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(apiHost + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(apiHost + path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The body of an answer with this status, as JSON. */
    static JsonNode json(HttpResponse<String> answer, int status) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
