package dev.cove.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Admission;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.Code;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Scaling;
import dev.cove.core.model.TopicMessage;
import dev.cove.core.model.TriggerSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Functions publish on topics and triggers deliver the messages, through real workers: node, python and
 * Java publish with {@code ctx.publish}; a Kubeless-style python handler gets each message as its event,
 * an OpenWhisk-style one as its parameters.
 */
class TopicsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    static final String NODE_PUBLISHER = """
            async function main(p, ctx) {
              const ids = [];
              for (const item of p.items) ids.push(await ctx.publish('k8s_replicas', item));
              let refused;
              try { await ctx.publish('k8s_replicas', 'not an object'); } catch (e) { refused = e.message; }
              return {ids, refused};
            }
            """;
    static final String PYTHON_PUBLISHER = """
            def main(args, ctx):
                return {"ids": [ctx.publish("k8s_replicas", item) for item in args["items"]]}
            """;
    static final String JAVA_PUBLISHER = """
            import dev.cove.api.Context;
            import dev.cove.api.Handler;
            import java.util.List;
            import java.util.Map;

            public class JavaPublisher implements Handler {
                @Override
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) {
                    return Map.of("ids", List.of(ctx.publish("k8s_replicas", Map.of("name", "java", "replicas", 2))));
                }
            }
            """;
    static final String KUBELESS = """
            def handler(event, context):
                return {"data": event["data"], "id": event["event-id"], "type": event["event-type"]}
            """;
    static final String OPENWHISK = """
            def main(args):
                return {"keys": sorted(args.keys())}
            """;

    @TempDir
    Path dir;
    Vertx vertx;
    Node node;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        node = CoveNode.start(new NodeOptions(new Node.Config(dir, 1, 1 << 20, Duration.ofDays(1), 100, 1 << 20, true,
                CacheSettings.defaults(), PackageSources.DEFAULT, Scaling.of(1 << 20), Debugging.DEFAULT), new NodeOptions.EmbeddedCache()), vertx);
        deploy("downscale", Kind.PYTHON, KUBELESS, "handler");
        deploy("audit", Kind.PYTHON, OPENWHISK, "main");
        node.putTrigger("guest", TriggerSpec.of("replicas").withTopic(Optional.of("k8s_replicas")), false);
        node.putRule("guest", new RuleSpec("scale", "replicas", "downscale"), false);
        node.putRule("guest", new RuleSpec("log", "replicas", "audit"), false);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void deploy(String name, Kind kind, String source, String main) throws Exception {
        node.deploy("guest", FunctionSpec.of(name, kind, Code.source(source), main));
    }

    JsonNode invoke(String name, String params) throws Exception {
        Admission admission = node.invoke(node.function("guest", name).orElseThrow(), (ObjectNode) JSON.readTree(params));
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        var activation = ((Admission.Accepted) admission).completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(activation.status().success()).as("%s", activation).isTrue();
        return activation.result().tree();
    }

    /** The results of the function's activations, once there are {@code count}. */
    List<JsonNode> results(String function, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<ActivationRecord> found = node.activations(new ActivationQuery("guest", Optional.of(function),
                    Optional.empty(), Optional.empty(), 0, 100));
            if (found.size() >= count || System.nanoTime() > deadline) {
                List<JsonNode> results = new ArrayList<>();
                for (ActivationRecord r : found) {
                    results.add(JSON.readTree(r.json()).path("response").path("result"));
                }
                assertThat(results).as("activations of " + function).hasSize(count);
                return results;
            }
            Thread.sleep(50); // polling the store, which has no way to say that a record arrived
        }
    }

    @Test
    void messagesANodeFunctionPublishesReachEachSubscribersFunctionInItsShape() throws Exception {
        deploy("publisher", Kind.NODEJS, NODE_PUBLISHER, "main");
        JsonNode published = invoke("publisher",
                "{\"items\":[{\"name\":\"web\",\"replicas\":3},{\"name\":\"db\",\"replicas\":1}]}");
        assertThat(published.path("refused").asText()).isEqualTo("A message on a topic must be a JSON object");
        List<String> ids = List.of(published.path("ids").get(0).asText(), published.path("ids").get(1).asText());

        List<JsonNode> kubeless = results("downscale", 2);
        assertThat(kubeless).extracting(r -> r.path("id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(kubeless).extracting(r -> r.path("data")).containsExactlyInAnyOrder(
                JSON.readTree("{\"name\":\"web\",\"replicas\":3}"), JSON.readTree("{\"name\":\"db\",\"replicas\":1}"));
        assertThat(kubeless).allSatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("application/json"));
        assertThat(results("audit", 2)).allSatisfy(r ->
                assertThat(r.path("keys")).isEqualTo(JSON.readTree("[\"name\",\"replicas\"]")));
    }

    @Test
    void pythonAndJavaFunctionsPublishToo() throws Exception {
        deploy("pypub", Kind.PYTHON, PYTHON_PUBLISHER, "main");
        deploy("javapub", Kind.JAVA, JAVA_PUBLISHER, "JavaPublisher");
        invoke("pypub", "{\"items\":[{\"name\":\"py\",\"replicas\":1}]}");
        invoke("javapub", "{}");
        assertThat(results("downscale", 2)).extracting(r -> r.path("data").path("name").asText())
                .containsExactlyInAnyOrder("py", "java");
    }

    @Test
    void aMessagePublishedTwiceUnderOneEventIdFiresOnce() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree("{\"name\":\"web\",\"replicas\":0}");
        TopicMessage first = node.publish("guest", "k8s_replicas", message, "event-1").get(30, TimeUnit.SECONDS);
        TopicMessage again = node.publish("guest", "k8s_replicas", message, "event-1").get(30, TimeUnit.SECONDS);
        assertThat(first.duplicate()).isFalse();
        assertThat(first.fired()).hasSize(1);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.fired()).isEmpty();
        assertThat(results("downscale", 1).get(0).path("id").asText()).isEqualTo("event-1");
        TopicMessage elsewhere = node.publish("guest", "other", message, "event-2").get(30, TimeUnit.SECONDS);
        assertThat(elsewhere.fired()).as("no trigger subscribes to it").isEmpty();
    }
}
