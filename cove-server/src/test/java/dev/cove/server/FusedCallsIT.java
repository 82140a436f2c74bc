package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls between functions of one application that the caller's worker runs itself (fused calls,
 * docs/worker-protocol.md "peer"), against a real server with real node and python workers: they run
 * in the caller's process, and are recorded, fail, time out and follow redeployments as calls over the
 * bus do. The fixtures under src/test/resources/fused say which process ran them.
 */
class FusedCallsIT {
    static final Path FIXTURES = Path.of("src/test/resources/fused");
    /** How many calls it may take before the platform's offer reaches the caller's worker. */
    static final int OFFER_ATTEMPTS = 100;

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

    /**
     * Deploys the application {@code app}: APP-caller, APP-callee (with a default parameter and these
     * limits) and APP-other, the callee with an environment of its own.
     */
    static void deployApp(String runtime, String app, ObjectNode calleeLimits) throws Exception {
        String kind = RuntimeConformanceIT.kind(runtime);
        String callerCode = Files.readString(fixture(runtime, "caller"));
        String calleeCode = Files.readString(fixture(runtime, "callee"));
        ObjectNode callee = ApplicationsIT.function(app + "-callee", kind, calleeCode);
        callee.putArray("parameters").addObject().put("key", "fixed").put("value", "d");
        callee.set("limits", calleeLimits);
        ObjectNode other = ApplicationsIT.function(app + "-other", kind, calleeCode);
        other.putArray("parameters").addObject().put("key", "OTHER").put("value", "1").put("init", true);
        ObjectNode caller = ApplicationsIT.function(app + "-caller", kind, callerCode);
        if (runtime.equals("java-process")) {
            for (ObjectNode f : List.of(caller, callee, other)) {
                f.withObject("exec").put("tier", "process");
            }
        }
        ObjectNode body = ApplicationsIT.app(caller, callee, other);
        TestCove.Answer answer = cove.put("/api/v1/namespaces/_/applications/" + app, body);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
    }

    /** How many activations of the app's callee are recorded. */
    static int calleeRecords(String app) throws Exception {
        return cove.get("/api/v1/namespaces/_/activations?name=" + app + "-callee&limit=200").json().size();
    }

    /** A fixture's file: {@code caller.js}, {@code caller.py}, {@code java/Caller.java}. */
    static Path fixture(String runtime, String name) {
        return switch (runtime) {
            case "nodejs" -> FIXTURES.resolve("nodejs/" + name + ".js");
            case "python" -> FIXTURES.resolve("python/" + name + ".py");
            default -> FIXTURES.resolve("java/" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + ".java");
        };
    }

    /** Invokes NAME-caller to call {@code target} as asked, and answers its result. */
    static JsonNode call(String app, String target, int times, ObjectNode params) throws Exception {
        TestCove.Answer answer = cove.invoke(app + "-caller", TestCove.object().put("target", app + "-" + target)
                .put("times", times).set("params", params));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json().path("response").path("result");
    }

    /** Calls the callee until the caller's worker runs it itself (the first call goes over the bus). */
    static JsonNode untilFused(String app) throws Exception {
        for (int i = 0; i < OFFER_ATTEMPTS; i++) {
            JsonNode result = call(app, "callee", 1, TestCove.object());
            if (result.path("calls").get(0).path("pid").asLong() == result.path("pid").asLong()) {
                return result;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the caller's worker never ran the callee itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aCallWithinAnApplicationRunsInTheCallersWorkerAndIsRecordedLikeAnyOther(String runtime) throws Exception {
        String app = runtime + "-fused";
        deployApp(runtime, app, TestCove.object());
        JsonNode first = call(app, "callee", 1, TestCove.object());
        assertThat(first.path("calls").get(0).path("pid").asLong()).as("the first call goes over the bus")
                .isNotEqualTo(first.path("pid").asLong());
        untilFused(app);

        JsonNode result = call(app, "callee", 3, TestCove.object());
        String me = result.path("me").asText();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JsonNode called = result.path("calls").get(i);
            assertThat(called.path("pid").asLong()).as(called.toString()).isEqualTo(result.path("pid").asLong());
            assertThat(called.path("i").asInt()).isEqualTo(i);
            assertThat(called.path("fixed").asText()).as("the callee's defaults").isEqualTo("d");
            assertThat(called.path("name").asText()).isEqualTo("/guest/" + app + "-callee");
            String id = called.path("id").asText();
            if (!runtime.startsWith("java")) { // a JVM has no environment to change: a Java callee has its id in ctx
                assertThat(called.path("idFromEnv").asText()).isEqualTo(id);
            }
            assertThat(id).hasSize(32).startsWith(me.substring(0, 12));
            ids.add(id);
            JsonNode record = cove.activation(id);
            assertThat(record.path("name").asText()).isEqualTo(app + "-callee");
            assertThat(record.path("response").path("statusCode").asInt()).isZero();
            assertThat(record.path("response").path("result").path("i").asInt()).isEqualTo(i);
            assertThat(TestCove.causedBy(record)).isEqualTo(me);
            assertThat(record.path("logs").toString()).contains("callee ran " + i);
        }
        assertThat(ids).hasSize(3);
        assertThat(cove.activation(me).path("logs").toString()).doesNotContain("callee ran");

        for (int attempt = 0; attempt < 3; attempt++) {
            JsonNode elsewhere = call(app, "other", 2, TestCove.object());
            assertThat(elsewhere.path("calls")).as("a callee with an environment of its own runs in its own worker")
                    .allSatisfy(c -> assertThat(c.path("pid").asLong()).isNotEqualTo(elsewhere.path("pid").asLong()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aFusedCalleesFailureReachesItsCallerAndItsRecord(String runtime) throws Exception {
        String app = runtime + "-fails";
        deployApp(runtime, app, TestCove.object());
        untilFused(app);

        JsonNode thrown = call(app, "callee", 1, TestCove.object().put("fail", "throw")).path("calls").get(0);
        String failure = switch (runtime) {
            case "nodejs" -> "Error: boom 0";
            case "python" -> "ValueError: boom 0";
            default -> "java.lang.IllegalStateException: boom 0";
        };
        boolean raised = runtime.equals("python"); // a raise is the application's error, as in OpenWhisk
        assertThat(thrown.path("status").asText()).as(thrown.toString())
                .isEqualTo(raised ? "application error" : "action developer error");
        assertThat(thrown.path("failed").asText()).isEqualTo(failure);
        assertThat(thrown.path("calledResult").path("error").asText()).isEqualTo(failure);
        JsonNode thrownRecord = cove.activation(thrown.path("activationId").asText());
        assertThat(thrownRecord.path("response").path("statusCode").asInt()).isEqualTo(raised ? 1 : 2);
        assertThat(thrownRecord.path("response").path("result").path("error").asText()).isEqualTo(failure);

        JsonNode refused = call(app, "callee", 1, TestCove.object().put("fail", "error")).path("calls").get(0);
        assertThat(refused.path("status").asText()).as(refused.toString()).isEqualTo("application error");
        assertThat(refused.path("failed").asText()).isEqualTo("no 0");
        assertThat(refused.path("calledResult").path("error").asText()).isEqualTo("no 0");
        JsonNode refusedRecord = cove.activation(refused.path("activationId").asText());
        assertThat(refusedRecord.path("response").path("statusCode").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aFusedCalleeOverItsTimeLimitIsATimeoutAndStopsTheWorkerItRanIn(String runtime) throws Exception {
        String app = runtime + "-slow";
        deployApp(runtime, app, TestCove.object().put("timeout", 1000));
        untilFused(app);

        TestCove.Answer stopped = cove.invoke(app + "-caller", TestCove.object().put("target", app + "-callee")
                .set("params", TestCove.object().put("fail", "loop")));
        String callerId = stopped.json().path("activationId").asText();
        assertThat(stopped.json().path("response").path("result").path("error").asText())
                .as(stopped.json().toString()).contains("ran past its time limit");
        JsonNode chain = cove.get("/api/v1/namespaces/_/activations/" + callerId + "/chain").json();
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1).path("name").asText()).isEqualTo(app + "-callee");
        JsonNode callee = cove.activation(chain.get(1).path("activationId").asText());
        assertThat(callee.path("response").path("result").path("error").asText())
                .isEqualTo("The function exceeded its time limit of 1000 ms.");
        assertThat(callee.path("annotations").toString()).contains("{\"key\":\"timeout\",\"value\":true}");

        JsonNode after = call(app, "callee", 1, TestCove.object());
        assertThat(after.path("calls").get(0).path("i").asInt()).as("a fresh worker calls again").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aCalleeRedeployedDuringACallRunsOnceMoreAsItWasThenAsItIs(String runtime) throws Exception {
        String app = runtime + "-redeployed";
        deployApp(runtime, app, TestCove.object());
        untilFused(app);

        ObjectNode params = TestCove.object().put("target", app + "-callee").put("times", 3).put("pauseMs", 1500);
        params.set("params", TestCove.object());
        int calledBefore = calleeRecords(app);
        CompletableFuture<TestCove.Answer> calling = CompletableFuture.supplyAsync(() -> {
            try {
                return cove.invoke(app + "-caller", params);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // redeployed between the first call and the second, which comes 1.5 s after it
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (calleeRecords(app) == calledBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        deployApp(runtime, app, TestCove.object());
        JsonNode result = calling.join().json().path("response").path("result");
        JsonNode calls = result.path("calls");
        assertThat(calls.get(0).path("version").asText()).as(result.toString()).isEqualTo("0.0.1");
        assertThat(calls.get(1).path("version").asText()).as("the worker hears of the new version after this call")
                .isEqualTo("0.0.1");
        assertThat(calls.get(1).path("pid").asLong()).isEqualTo(result.path("pid").asLong());
        assertThat(calls.get(2).path("version").asText()).isEqualTo("0.0.2");
        assertThat(cove.activation(calls.get(1).path("id").asText()).path("version").asText()).isEqualTo("0.0.1");
    }
}
