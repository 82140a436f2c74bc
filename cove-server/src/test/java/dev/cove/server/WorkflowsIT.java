package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ExecutionStarted;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications' workflows on a real server, with real node, python and java functions: how function
 * failures become ASL errors, the history, and what a deployment refuses. Every state type and field
 * is tested against the engine itself in cove-core's workflow package.
 */
class WorkflowsIT {
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

    static final String DOUBLE_JS = "function main(p) { return {n: p.n * 2}; }";
    static final String ADD_PY = "def main(a):\n    return {'n': a['n'] + 1}\n";
    static final String SQUARE_JAVA = """
            import java.util.Map;
            public class Square {
                public static Map<String, Object> main(Map<String, Object> p) {
                    int n = ((Number) p.get("n")).intValue();
                    return Map.of("n", n * n);
                }
            }
            """;
    /** Raises ValueError on its first call in each worker, then succeeds. */
    static final String FLAKY_PY = "calls = [0]\n\ndef main(a):\n    calls[0] += 1\n"
            + "    if calls[0] == 1:\n        raise ValueError('not yet')\n    return {'attempt': calls[0]}\n";
    static final String THROWS_JS = "function main() { throw new TypeError('no such thing'); }";

    static ObjectNode app(String workflowJson, ObjectNode... functions) throws Exception {
        ObjectNode body = ApplicationsIT.app(functions);
        body.set("workflow", TestCove.JSON.readTree(workflowJson));
        return body;
    }

    static JsonNode start(String app, ObjectNode input) throws Exception {
        return cove.post("/api/v1/namespaces/_/applications/" + app + "/executions?blocking=true", input).json();
    }

    static List<String> types(JsonNode execution) {
        return StreamSupport.stream(execution.path("history").spliterator(), false)
                .map(e -> e.path("type").asText()).toList();
    }

    @Test
    void aWorkflowChainsNodePythonAndJavaWithAChoiceAndAParallel() throws Exception {
        TestCove.Answer deployed = cove.put("/api/v1/namespaces/_/applications/math", app("""
                {"StartAt": "Double", "States": {
                  "Double": {"Type": "Task", "Resource": "double", "Next": "Big?"},
                  "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Both"}],
                           "Default": "Small"},
                  "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": true},
                  "Both": {"Type": "Parallel", "Branches": [
                      {"StartAt": "Add", "States": {"Add": {"Type": "Task", "Resource": "add", "End": true}}},
                      {"StartAt": "Square", "States": {"Square": {"Type": "Task", "Resource": "Square", "End": true}}}],
                    "ResultSelector": {"added.$": "$[0].n", "squared.$": "$[1].n"}, "End": true}}}
                """, ApplicationsIT.function("double", "nodejs:default", DOUBLE_JS),
                ApplicationsIT.function("add", "python:default", ADD_PY),
                ApplicationsIT.function("Square", "java:default", SQUARE_JAVA)));
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);

        JsonNode big = start("math", TestCove.object().put("n", 6));
        assertThat(big.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(big.path("output")).isEqualTo(TestCove.object().put("added", 13).put("squared", 144));
        assertThat(types(big)).startsWith("ExecutionStarted", "StateEntered", "TaskScheduled", "TaskSucceeded")
                .contains("BranchStarted", "BranchSucceeded").endsWith("ExecutionSucceeded");
        JsonNode small = start("math", TestCove.object().put("n", 2));
        assertThat(small.path("output")).isEqualTo(TestCove.object().put("n", 4).put("size", "small"));

        String executionId = big.path("executionId").asText();
        JsonNode squares = cove.get("/api/v1/namespaces/_/activations?name=Square&limit=1").json();
        assertThat(TestCove.causedBy(squares.get(0))).isEqualTo(executionId);
        JsonNode listed = cove.get("/api/v1/namespaces/_/executions?application=math").json();
        assertThat(listed).extracting(e -> e.path("executionId").asText())
                .containsExactly(small.path("executionId").asText(), executionId);
        assertThat(listed.get(0).has("history")).isFalse();
        assertThat(cove.get("/api/v1/namespaces/_/executions/" + executionId).json().path("history"))
                .isEqualTo(big.path("history"));
    }

    @Test
    void thrownErrorsAreNamedForRetryAndCatch() throws Exception {
        cove.put("/api/v1/namespaces/_/applications/flaky", app("""
                {"StartAt": "Flaky", "States": {
                  "Flaky": {"Type": "Task", "Resource": "flaky", "Next": "Throws",
                            "Retry": [{"ErrorEquals": ["ValueError"], "IntervalSeconds": 1, "MaxAttempts": 1}]},
                  "Throws": {"Type": "Task", "Resource": "throws", "ResultPath": "$.thrown", "End": true,
                             "Catch": [{"ErrorEquals": ["TypeError"], "ResultPath": "$.caught", "Next": "Done"}]},
                  "Done": {"Type": "Succeed"}}}
                """, ApplicationsIT.function("flaky", "python:default", FLAKY_PY),
                ApplicationsIT.function("throws", "nodejs:default", THROWS_JS)));
        JsonNode execution = start("flaky", TestCove.object());
        assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("output").path("attempt").asInt()).isEqualTo(2);
        assertThat(execution.path("output").path("caught").path("Error").asText()).isEqualTo("TypeError");
        assertThat(execution.path("output").path("caught").path("Cause").asText()).isEqualTo("TypeError: no such thing");
        assertThat(types(execution)).contains("RetryScheduled", "CaughtError");
    }

    @Test
    void anAsyncStartAnswersAtOnceAndTheExecutionCanBeFollowed() throws Exception {
        cove.put("/api/v1/namespaces/_/applications/later", app("""
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
                  "Double": {"Type": "Task", "Resource": "later-double", "End": true}}}
                """, ApplicationsIT.function("later-double", "nodejs:default", DOUBLE_JS)));
        TestCove.Answer started = cove.post("/api/v1/namespaces/_/applications/later/executions",
                TestCove.object().put("n", 21));
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().path("executionId").asText();
        JsonNode running = cove.get("/api/v1/namespaces/_/executions/" + id).json();
        assertThat(running.path("status").asText()).isEqualTo("RUNNING");
        assertThat(types(running)).contains("WaitStarted");
        JsonNode ended = running;
        for (int i = 0; i < 100 && ended.path("status").asText().equals("RUNNING"); i++) {
            Thread.sleep(50);
            ended = cove.get("/api/v1/namespaces/_/executions/" + id).json();
        }
        assertThat(ended.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(ended.path("output").path("n").asInt()).isEqualTo(42);
    }

    @Test
    void anOpenWhiskSequenceChainsItsComponentsAndListsTheirActivations() throws Exception {
        cove.deploy("seq-double", "nodejs:default", DOUBLE_JS, TestCove.object());
        cove.deploy("seq-add", "python:default", ADD_PY, TestCove.object());
        cove.deploy("SeqSquare", "java:default", SQUARE_JAVA.replace("Square", "SeqSquare"), TestCove.object());
        ObjectNode sequence = TestCove.object();
        sequence.putObject("exec").put("kind", "sequence").putArray("components")
                .add("/_/seq-double").add("/guest/seq-add").add("SeqSquare");
        TestCove.Answer put = cove.put("/api/v1/namespaces/_/actions/seq?overwrite=true", sequence);
        assertThat(put.status()).as(put.json().toString()).isEqualTo(200);
        assertThat(put.json().path("exec").path("components")).extracting(JsonNode::asText)
                .containsExactly("/guest/seq-double", "/guest/seq-add", "/guest/SeqSquare");

        TestCove.Answer answer = cove.invoke("seq", TestCove.object().put("n", 3));
        assertThat(answer.json().path("response").path("result").path("n").asInt()).isEqualTo(49);
        JsonNode logs = answer.json().path("logs");
        assertThat(logs).hasSize(3);
        String square = logs.get(2).asText().replaceAll(".* ", "");
        JsonNode component = cove.activation(square);
        assertThat(component.path("name").asText()).isEqualTo("SeqSquare");
        assertThat(TestCove.causedBy(component)).isEqualTo(answer.json().path("activationId").asText());

        sequence.withObject("exec").putArray("components").add("seq-double").add("nothing");
        assertThat(cove.put("/api/v1/namespaces/_/actions/seq2", sequence).json().path("error").asText())
                .isEqualTo("Sequence component does not exist: nothing.");
        sequence.withObject("exec").putArray("components").add("seq");
        assertThat(cove.put("/api/v1/namespaces/_/actions/seq?overwrite=true", sequence).json().path("error").asText())
                .isEqualTo("The sequence would call itself through seq.");
    }

    /**
     * A component's array result is the next one's parameters, as OpenWhisk passes it on (without the
     * next one's defaults, which only an object takes); a Java component can't take one.
     */
    @Test
    void aSequencePassesAnArrayResultOnToItsNextComponent() throws Exception {
        cove.deploy("seq-pair", "nodejs:default", "function main(p) { return [p.n, p.n + 1]; }", TestCove.object());
        ObjectNode defaults = TestCove.object();
        defaults.putArray("parameters").addObject().put("key", "extra").put("value", 100);
        cove.deploy("seq-sum", "python:default", "def main(a):\n    return {'sum': sum(a), 'given': a}\n", defaults);
        cove.deploy("SeqPairSquare", "java:default", SQUARE_JAVA.replace("Square", "SeqPairSquare"), TestCove.object());
        ObjectNode sequence = TestCove.object();
        sequence.putObject("exec").put("kind", "sequence").putArray("components").add("seq-pair").add("seq-sum");
        assertThat(cove.put("/api/v1/namespaces/_/actions/seq-arrays?overwrite=true", sequence).status()).isEqualTo(200);

        TestCove.Answer answer = cove.invoke("seq-arrays", TestCove.object().put("n", 3));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json().path("response").path("result").toString()).isEqualTo("{\"sum\":7,\"given\":[3,4]}");
        assertThat(answer.json().path("logs")).hasSize(2);

        sequence.withObject("exec").putArray("components").add("seq-pair").add("SeqPairSquare");
        assertThat(cove.put("/api/v1/namespaces/_/actions/seq-arrays?overwrite=true", sequence).status()).isEqualTo(200);
        TestCove.Answer java = cove.invoke("seq-arrays", TestCove.object().put("n", 3));
        assertThat(java.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(java.json().path("response").path("result").path("error").asText())
                .isEqualTo("The function was given an array of parameters; a Java function takes a JSON object");
        assertThat(java.json().path("logs")).as("the Java component ran, and failed").hasSize(2);
    }

    @Test
    void aWorkflowWithAnErrorIsRefusedAtDeploymentWithTheStateAndWhatIsWrong() throws Exception {
        TestCove.Answer typo = cove.put("/api/v1/namespaces/_/applications/broken", app("""
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "broken-a", "Next": "B"}}}
                """, ApplicationsIT.function("broken-a", "nodejs:default", DOUBLE_JS)));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().path("error").asText()).startsWith("The workflow: state \"A\"").contains("\"B\"");
        TestCove.Answer outside = cove.put("/api/v1/namespaces/_/applications/broken", app("""
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "elsewhere", "End": true}}}
                """, ApplicationsIT.function("broken-a", "nodejs:default", DOUBLE_JS)));
        assertThat(outside.json().path("error").asText())
                .isEqualTo("The workflow: a Task names the function elsewhere, which is not a function of the application");
        assertThat(cove.get("/api/v1/namespaces/_/actions/broken-a").status()).isEqualTo(404);
        TestCove.Answer none = cove.post("/api/v1/namespaces/_/applications/nothing/executions", TestCove.object());
        assertThat(none.status()).isEqualTo(404);
    }
}
