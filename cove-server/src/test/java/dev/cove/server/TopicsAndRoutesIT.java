package dev.cove.server;

import static dev.cove.server.TriggersIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cove's extensions of the triggers API over real HTTP (docs/rest-api.md): publishing on topics,
 * functions' labels and rules that choose functions by them, and HTTP triggers.
 */
class TopicsAndRoutesIT {
    static final String ECHO = "function main(p) { return p; }";
    static final String WEB = "function main(p) { return {body: {method: p.__ow_method, name: p.name || null}}; }";
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

    static ObjectNode object() {
        return TestCove.object();
    }

    /** The function's activations, once there are {@code count}. */
    static JsonNode activations(String function, int count) throws Exception {
        return eventually(() -> cove.get(API + "activations?name=" + function + "&docs=true"),
                answer -> answer.json().size() >= count).json();
    }

    @Test
    void aMessagePublishedOnATopicFiresItsTriggersOnceUnderItsEventId() throws Exception {
        assertThat(cove.deploy("replicas-echo", "nodejs:20", ECHO, object()).status()).isEqualTo(200);
        assertThat(cove.put(API + "triggers/replicas", object().put("topic", "k8s_replicas")).status()).isEqualTo(200);
        assertThat(cove.get(API + "triggers/replicas").json().path("topic").asText()).isEqualTo("k8s_replicas");
        assertThat(cove.put(API + "rules/replicas-rule", object().put("trigger", "replicas").put("action", "replicas-echo"))
                .status()).isEqualTo(200);

        TestCove.Answer published = cove.send(cove.request(API + "topics/k8s_replicas").header("X-Event-Id", "e-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"web\",\"replicas\":0}")));
        assertThat(published.status()).as(published.json().toString()).isEqualTo(202);
        assertThat(published.json().path("eventId").asText()).isEqualTo("e-1");
        assertThat(published.json().path("fired")).hasSize(1);
        TestCove.Answer again = cove.send(cove.request(API + "topics/k8s_replicas").header("X-Event-Id", "e-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"web\",\"replicas\":0}")));
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("fired")).isEmpty();

        JsonNode ran = activations("replicas-echo", 1).get(0);
        assertThat(ran.path("response").path("result")).isEqualTo(object().put("name", "web").put("replicas", 0));
        assertThat(cove.post(API + "topics/k8s_replicas", TestCove.JSON.createArrayNode()).status()).isEqualTo(400);
        assertThat(cove.get(API + "topics/k8s_replicas").status()).isEqualTo(405);
        assertThat(cove.post(API + "topics/no%20such", object()).status()).isEqualTo(400);
    }

    @Test
    void aSelectorRuleInvokesTheFunctionsWhoseLabelsMatchWhenItsTriggerFires() throws Exception {
        assertThat(cove.put(API + "triggers/selected", object()).status()).isEqualTo(200);
        TestCove.Answer created = cove.put(API + "rules/selected-rule",
                object().put("trigger", "selected").put("selector", "team=ops,role in (down,up)"));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        assertThat(created.json().path("selector").asText()).isEqualTo("team=ops,role in (down,up)");
        assertThat(created.json().path("warning").asText()).contains("matches no function yet");

        ObjectNode labelled = object();
        labelled.putObject("labels").put("team", "ops").put("role", "down");
        assertThat(cove.deploy("labelled-down", "nodejs:20", ECHO, labelled).status()).isEqualTo(200);
        assertThat(cove.get(API + "actions/labelled-down").json().path("labels"))
                .isEqualTo(object().put("role", "down").put("team", "ops"));
        ObjectNode other = object();
        other.putObject("labels").put("team", "dev").put("role", "down");
        assertThat(cove.deploy("labelled-dev", "nodejs:20", ECHO, other).status()).isEqualTo(200);

        assertThat(cove.post(API + "triggers/selected", object().put("n", 1)).status()).isEqualTo(202);
        assertThat(activations("labelled-down", 1).get(0).path("response").path("result"))
                .isEqualTo(object().put("n", 1));
        assertThat(cove.get(API + "activations?name=labelled-dev").json()).isEmpty();

        ObjectNode badLabels = object();
        badLabels.putObject("labels").put("-bad", "x");
        assertThat(cove.deploy("labelled-bad", "nodejs:20", ECHO, badLabels).status()).isEqualTo(400);
        assertThat(cove.put(API + "rules/bad-selector", object().put("trigger", "selected").put("selector", "a in b"))
                .status()).isEqualTo(400);
        assertThat(cove.put(API + "rules/both", object().put("trigger", "selected").put("selector", "a")
                .put("action", "labelled-down")).status()).isEqualTo(400);
    }

    @Test
    void anHttpTriggersFunctionAnswersAtItsPathAndMethods() throws Exception {
        assertThat(cove.deploy("rescale", "nodejs:20", WEB, object()).status()).isEqualTo(200);
        ObjectNode body = object();
        body.putObject("http").put("path", "/rescale").put("function", "rescale").putArray("methods").add("POST");
        TestCove.Answer created = cove.put(API + "triggers/rescale-route", body);
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        assertThat(created.json().path("http").path("path").asText()).isEqualTo("/rescale");

        TestCove.Answer answered = cove.post("/rescale", object().put("name", "web"));
        assertThat(answered.status()).as(answered.json().toString()).isEqualTo(200);
        assertThat(answered.json()).isEqualTo(object().put("method", "post").put("name", "web"));
        assertThat(cove.get("/rescale").status()).as("a method it does not answer").isEqualTo(405);
        assertThat(cove.get("/nothing-here").status()).isEqualTo(404);

        ObjectNode taken = object();
        taken.putObject("http").put("path", "/rescale").put("function", "rescale");
        assertThat(cove.put(API + "triggers/another-route", taken).status()).isEqualTo(409);
        ObjectNode reserved = object();
        reserved.putObject("http").put("path", "/api/v1/mine").put("function", "rescale");
        assertThat(cove.put(API + "triggers/reserved-route", reserved).status()).isEqualTo(400);

        assertThat(cove.delete(API + "triggers/rescale-route").status()).isEqualTo(200);
        assertThat(cove.post("/rescale", object()).status()).isEqualTo(404);
    }

    @Test
    void aRuleWithRetriesKeepsWhatStillFailedAndDeliversItAgainOnRequest() throws Exception {
        assertThat(cove.deploy("flaky", "nodejs:20", "function main() { throw new Error('boom'); }", object())
                .status()).isEqualTo(200);
        assertThat(cove.put(API + "triggers/flaky-trigger", object()).status()).isEqualTo(200);
        TestCove.Answer rule = cove.put(API + "rules/flaky-rule",
                object().put("trigger", "flaky-trigger").put("action", "flaky").put("retries", 1));
        assertThat(rule.json().path("retries").asInt()).isEqualTo(1);
        assertThat(cove.put(API + "rules/too-many", object().put("trigger", "flaky-trigger").put("action", "flaky")
                .put("retries", 11)).status()).isEqualTo(400);

        assertThat(cove.post(API + "triggers/flaky-trigger", object().put("n", 7)).status()).isEqualTo(202);
        JsonNode failures = eventually(() -> cove.get(API + "triggers/flaky-trigger/failures"),
                answer -> answer.json().size() == 1).json();
        JsonNode failure = failures.get(0);
        assertThat(failure.path("attempts").asInt()).as("the first, and one retry").isEqualTo(2);
        assertThat(failure.path("error").asText()).contains("boom");
        assertThat(failure.path("payload")).isEqualTo(object().put("n", 7));

        assertThat(cove.deploy("flaky", "nodejs:20", ECHO, object()).status()).isEqualTo(200);
        TestCove.Answer again = cove.post(API + "triggers/flaky-trigger/failures/" + failure.path("id").asText(), object());
        assertThat(again.status()).as(again.json().toString()).isEqualTo(202);
        JsonNode redelivered = eventually(() -> cove.get(API + "activations/" + again.json().path("activationId").asText()),
                answer -> answer.status() == 200).json();
        assertThat(redelivered.path("response").path("result")).isEqualTo(object().put("n", 7));
        assertThat(cove.get(API + "triggers/flaky-trigger/failures").json()).isEmpty();
        assertThat(cove.post(API + "triggers/flaky-trigger/failures/" + failure.path("id").asText(), object()).status())
                .isEqualTo(404);
    }
}
