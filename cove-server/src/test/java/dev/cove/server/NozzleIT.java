package dev.cove.server;

import static dev.cove.server.TriggersIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/nozzle over the REST API, as its cove.yaml and commands set it up: a scan publishes one
 * message per idle deployment on a topic, the functions a label selector chooses scale each down and
 * keep its replicas, and an HTTP trigger restores one.
 */
class NozzleIT {
    static final Path EXAMPLE = Path.of("..", "examples", "nozzle");
    static final String API = "/api/v1/namespaces/_/";

    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dir);
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    static ObjectNode function(String name, String kind, String file) throws Exception {
        ObjectNode f = TestCove.object().put("name", name);
        f.putObject("exec").put("kind", kind).put("code", Files.readString(EXAMPLE.resolve(file)));
        return f;
    }

    static ObjectNode labelled(ObjectNode function, String label) {
        function.putObject("labels").put("function", label).put("created-by", "cove");
        return function;
    }

    static List<String> results(String function, String field, int count) throws Exception {
        JsonNode found = eventually(() -> cove.get(API + "activations?name=" + function + "&docs=true"),
                answer -> answer.json().size() >= count).json();
        List<String> values = new ArrayList<>();
        found.forEach(a -> values.add(a.path("response").path("result").path(field).asText()));
        return values;
    }

    @Test
    void idleDeploymentsAreScaledDownByTheFunctionsTheSelectorChoosesAndOneComesBackOverHttp() throws Exception {
        ObjectNode scan = function("scan", "python:3", "scan.py");
        ArrayNode params = scan.putArray("parameters");
        ArrayNode deployments = params.addObject().put("key", "deployments").putArray("value");
        deployments.addObject().put("name", "web").put("replicas", 3).put("idleMinutes", 45);
        deployments.addObject().put("name", "api").put("replicas", 2).put("idleMinutes", 2);
        deployments.addObject().put("name", "batch").put("replicas", 1).put("idleMinutes", 600);
        params.addObject().put("key", "idleAfterMinutes").put("value", 30);
        ObjectNode downscale = labelled(function("downscale-replicas", "python:3", "downscale.py"), "downscale-replicas");
        ((ObjectNode) downscale.get("exec")).put("main", "handler");
        ObjectNode app = TestCove.object();
        app.putArray("functions").add(scan).add(downscale)
                .add(labelled(function("audit", "nodejs:20", "audit.js"), "audit"))
                .add(function("restore", "python:3", "restore.py"));
        TestCove.Answer deployed = cove.put(API + "applications/nozzle", app);
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);

        ObjectNode cron = TestCove.object();
        cron.putObject("schedule").put("cron", "*/5 * * * *");
        assertThat(cove.put(API + "triggers/idle-scan", cron).status()).isEqualTo(200);
        assertThat(cove.put(API + "rules/scan-on-schedule", TestCove.object().put("trigger", "idle-scan")
                .put("action", "scan")).status()).isEqualTo(200);
        assertThat(cove.put(API + "triggers/replicas", TestCove.object().put("topic", "k8s_replicas")).status())
                .isEqualTo(200);
        assertThat(cove.put(API + "rules/scale-down", TestCove.object().put("trigger", "replicas")
                .put("selector", "created-by=cove,function in (downscale-replicas,audit)")).status()).isEqualTo(200);
        ObjectNode http = TestCove.object();
        http.putObject("http").put("path", "/rescale").put("function", "restore").putArray("methods").add("POST");
        assertThat(cove.put(API + "triggers/rescale", http).status()).isEqualTo(200);

        assertThat(cove.post(API + "triggers/idle-scan", TestCove.object()).status()).isEqualTo(202);

        assertThat(results("scan", "published", 1)).hasSize(1);
        assertThat(results("downscale-replicas", "scaled", 2)).containsExactlyInAnyOrder("web", "batch");
        assertThat(results("audit", "audited", 2)).containsExactlyInAnyOrder("web", "batch");

        TestCove.Answer restored = cove.post("/rescale", TestCove.object().put("name", "web"));
        assertThat(restored.status()).as(restored.json().toString()).isEqualTo(200);
        assertThat(restored.json()).isEqualTo(TestCove.object().put("restored", "web").put("replicas", 3));
        assertThat(cove.post("/rescale", TestCove.object().put("name", "web")).status())
                .as("restored once: nothing is kept for it any more").isEqualTo(404);
        assertThat(cove.post("/rescale", TestCove.object().put("name", "api")).status()).as("never scaled").isEqualTo(404);
    }
}
