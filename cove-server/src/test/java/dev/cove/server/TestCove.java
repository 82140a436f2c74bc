package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** A real server on a free port with its own data folder, and a client for its REST API. */
final class TestCove implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CONFORMANCE = Path.of("src/test/resources/conformance");

    final CoveServer server;
    final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String auth;

    /** A response: its status, its headers, and its body as JSON (or a text node when it is not JSON). */
    record Answer(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    TestCove(Path dataDir) throws CoveServer.StartException {
        this(ServerOptions.defaults().withPort(0).withDataDir(dataDir).withStemCellsPerRuntime(1));
    }

    TestCove(ServerOptions options) throws CoveServer.StartException {
        this.dataDir = options.dataDir();
        this.server = CoveServer.start(options);
        this.auth = "Basic " + Base64.getEncoder().encodeToString(server.guestAuth().getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The extra fields of a deployment that set these limits, e.g. {@code {"memory": 256}}. */
    static ObjectNode limits(String json) throws Exception {
        ObjectNode extra = object();
        extra.set("limits", JSON.readTree(json));
        return extra;
    }

    /**
     * Deploys source text as an action of the given kind; extra fields (limits, parameters) merge in,
     * and so do the fields of an extra {@code exec} (a tier, say) into the exec made here.
     */
    Answer deploy(String name, String kind, String code, ObjectNode extra) throws Exception {
        ObjectNode body = object();
        ObjectNode exec = body.putObject("exec").put("kind", kind).put("code", code);
        extra.properties().forEach(field -> {
            if (field.getKey().equals("exec")) {
                exec.setAll((ObjectNode) field.getValue());
            } else {
                body.set(field.getKey(), field.getValue());
            }
        });
        return put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", body);
    }

    /** Deploys a conformance fixture, e.g. {@code ("nodejs", "echo")}. */
    Answer deployFixture(String runtime, String fixture, String name, ObjectNode extra) throws Exception {
        String suffix = runtime.equals("nodejs") ? ".js" : ".py";
        String code = Files.readString(CONFORMANCE.resolve(runtime).resolve(fixture + suffix));
        return deploy(name, runtime + ":default", code, extra);
    }

    Answer invoke(String name, JsonNode params) throws Exception {
        return post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", params);
    }

    /** An activation by id, asking again while its record is on its way (up to 5 s). */
    JsonNode activation(String id) throws Exception {
        for (int i = 0; i < 100; i++) {
            Answer answer = get("/api/v1/namespaces/_/activations/" + id);
            if (answer.status() == 200) {
                return answer.json();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no activation " + id);
    }

    /** The activation's causedBy annotation, or an empty string. */
    static String causedBy(JsonNode activation) {
        for (JsonNode annotation : activation.path("annotations")) {
            if (annotation.path("key").asText().equals("causedBy")) {
                return annotation.path("value").asText();
            }
        }
        return "";
    }

    Answer put(String path, JsonNode body) throws Exception {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Answer post(String path, JsonNode body) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Answer get(String path) throws Exception {
        return send(request(path).GET());
    }

    Answer delete(String path) throws Exception {
        return send(request(path).DELETE());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.apiHost() + path))
                .header("authorization", auth)
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(60));
    }

    Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.getNodeFactory().textNode(response.body());
        }
        return new Answer(response.statusCode(), response, json);
    }

    @Override
    public void close() {
        server.close();
    }
}
