package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.core.model.Scaling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Functions scale to zero when idle and start again on demand, and keep their minInstances started,
 * with real workers in real sandboxes.
 */
class ScalingIT {
    /** Answers an id its worker drew when it loaded the code: a new worker, a new id. */
    private static final String PID = "const worker = Math.random(); function main(p) { return {worker}; }";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A wait for an instance shorter than a function's time limit, so that the time limit bounds it. */
    private static final Scaling SCALING = Scaling.of(ServerOptions.defaultWorkerMemoryMb()).withMaxWait(Duration.ofSeconds(1));
    /**
     * Answers the longest its timer went without firing, once the ticks that were due have run: a
     * paused worker's timers wait with it.
     */
    private static final String TICKER = """
            const worker = Math.random();
            let last = Date.now(), longestGap = 0;
            setInterval(() => { const now = Date.now(); longestGap = Math.max(longestGap, now - last); last = now; }, 10);
            function main(p) { return new Promise(r => setTimeout(() => r({worker, longestGap}), 50)); }
            """;

    @TempDir
    Path dir;
    TestCove cove;

    @BeforeEach
    void start() throws Exception {
        cove = start(SCALING);
    }

    private TestCove start(Scaling scaling) throws Exception {
        return new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir).withStemCellsPerRuntime(1)
                .withScaling(scaling));
    }

    @AfterEach
    void stop() {
        cove.close();
    }

    private JsonNode instances(String name) throws Exception {
        TestCove.Answer answer = cove.get("/api/v1/namespaces/_/actions/" + name + "?code=false");
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.json().path("instances");
    }

    /** The function's instances once they are as asked; the sweep that stops them announces nothing. */
    private JsonNode awaitInstances(String name, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode now = instances(name);
        while (!wanted.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = instances(name);
        }
        assertThat(wanted.test(now)).as("%s's instances: %s", name, now).isTrue();
        return now;
    }

    /** The server's metrics once a line matches {@code pattern}: the meters are registered off the call path. */
    private String awaitMetric(String pattern) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String metrics = cove.get("/metrics").raw().body();
        while (!Pattern.compile(pattern).matcher(metrics).find() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            metrics = cove.get("/metrics").raw().body();
        }
        assertThat(metrics).containsPattern(pattern);
        return metrics;
    }

    private static int total(JsonNode instances) {
        return instances.path("starting").asInt() + instances.path("busy").asInt() + instances.path("idle").asInt()
                + instances.path("paused").asInt();
    }

    private TestCove.Answer invoke(String name) throws Exception {
        TestCove.Answer answer = cove.invoke(name, TestCove.object());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer;
    }

    @Test
    void anIdleFunctionScalesToZeroAndItsNextRequestStartsItAgain() throws Exception {
        assertThat(cove.deploy("napper", "nodejs:20", PID, TestCove.limits("{\"idleTimeout\": 1000}")).status()).isEqualTo(200);
        TestCove.Answer first = invoke("napper");
        assertThat(total(instances("napper"))).isEqualTo(1);
        String metrics = awaitMetric("cove_function_instances\\{function=\"napper\",namespace=\"guest\",state=\"idle\",?\\} 1");
        assertThat(metrics).containsPattern("cove_cold_start_seconds_count\\{runtime=\"nodejs:20\",?\\} [1-9]")
                .containsPattern("cove_activator_queue_length\\{function=\"napper\",namespace=\"guest\",?\\} 0");

        awaitInstances("napper", i -> total(i) == 0);
        TestCove.Answer again = invoke("napper");
        assertThat(again.json().path("response").path("result").path("worker").asDouble())
                .as("a new worker").isNotEqualTo(first.json().path("response").path("result").path("worker").asDouble());
        assertThat(again.json().path("annotations").toString()).as("a cold start").contains("initTime");
        JsonNode load = cove.get("/api/v1/namespaces/_/instances").json();
        assertThat(load).hasSize(1);
        assertThat(load.get(0).path("name").asText()).isEqualTo("napper");
        assertThat(load.get(0).path("coldStarts").asInt()).isEqualTo(2);
        assertThat(load.get(0).path("activations").asInt()).isEqualTo(2);
    }

    @Test
    void anIdleInstancePausesUntilItsNextRequestThawsItThenStopsAtItsIdleTimeout() throws Exception {
        cove.close();
        cove = start(SCALING.withPauseAfter(Duration.ofSeconds(1)));
        assertThat(cove.deploy("ticker", "nodejs:20", TICKER, TestCove.limits("{\"idleTimeout\": 4000}")).status())
                .isEqualTo(200);
        TestCove.Answer first = invoke("ticker");
        awaitInstances("ticker", i -> i.path("paused").asInt() == 1 && i.path("idle").asInt() == 0);
        awaitMetric("cove_function_instances\\{function=\"ticker\",namespace=\"guest\",state=\"paused\",?\\} 1");
        Thread.sleep(1000); // the span its worker stays paused, which its timer's longest gap shows

        TestCove.Answer thawed = invoke("ticker");
        JsonNode result = thawed.json().path("response").path("result");
        assertThat(result.path("worker").asDouble()).as("the same worker")
                .isEqualTo(first.json().path("response").path("result").path("worker").asDouble());
        assertThat(thawed.json().path("annotations").toString()).as("no cold start").doesNotContain("initTime");
        assertThat(result.path("longestGap").asLong()).as("its timer did not fire while it was paused")
                .isGreaterThanOrEqualTo(1000);

        awaitInstances("ticker", i -> i.path("paused").asInt() == 1);
        awaitInstances("ticker", i -> total(i) == 0); // a paused instance stops as an idle one does
    }

    @Test
    void minInstancesStartAtDeploymentAndStayWhileOthersStop() throws Exception {
        assertThat(cove.deploy("warm", "nodejs:20", PID, TestCove.limits("{\"minInstances\": 1, \"idleTimeout\": 1000}")).status())
                .isEqualTo(200);
        awaitInstances("warm", i -> i.path("idle").asInt() == 1);
        assertThat(invoke("warm").json().path("annotations").toString()).as("no cold start").doesNotContain("initTime");

        assertThat(cove.deploy("cold", "nodejs:20", PID, TestCove.limits("{\"idleTimeout\": 1000}")).status()).isEqualTo(200);
        invoke("cold");
        awaitInstances("cold", i -> total(i) == 0); // idle after warm's last activation, so warm was idle longer
        assertThat(total(instances("warm"))).as("kept started").isEqualTo(1);
        assertThat(cove.get("/api/v1/namespaces/_/actions/warm").json().path("limits").path("minInstances").asInt())
                .isEqualTo(1);
    }

    @Test
    void aRequestThatWaitsPastTheLongestWaitEndsAsATimeoutThatSaysHowLongItWaited() throws Exception {
        String second = "function main(p) { return new Promise(r => setTimeout(() => r({}), 1000)); }";
        assertThat(cove.deploy("slow", "nodejs:20", second,
                TestCove.limits("{\"timeout\": 1500, \"maxInstances\": 1, \"concurrency\": 1}")).status()).isEqualTo(200);
        // one runs for a second and three wait behind it, each to run for a second: while two or more
        // wait, over 2 s of work is ahead of the next request, past its 1.5 s, however busy the machine
        for (int started = 0; started < 4; started++) {
            CompletableFuture.runAsync(() -> {
                try {
                    cove.invoke("slow", TestCove.object());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            if (started == 0) {
                awaitInstances("slow", i -> i.path("busy").asInt() == 1);
            }
        }
        awaitInstances("slow", i -> i.path("waiting").asInt() >= 2);

        TestCove.Answer waited = cove.invoke("slow", TestCove.object());
        JsonNode activation = waited.status() == 202 ? cove.activation(waited.json().path("activationId").asText())
                : waited.json();
        assertThat(activation.path("annotations").toString()).as("%s", activation).contains("{\"key\":\"timeout\",\"value\":true}");
        String error = activation.path("response").path("result").path("error").asText();
        assertThat(error).matches("The activation waited \\d+ ms for an instance of slow \\(1 of 1 started, all busy\\)"
                + " and gave up before it ran: an activation of slow waits at most 1500 ms \\(its time limit, or the"
                + " node's longest wait when that is longer\\)\\.");
        assertThat(Long.parseLong(error.replaceAll("\\D+", " ").trim().split(" ")[0])).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void scalingOutsideItsBoundsIsRefusedWithTheNumbers() throws Exception {
        TestCove.Answer over = cove.deploy("f", "nodejs:20", PID, TestCove.limits("{\"minInstances\": 5, \"maxInstances\": 4}"));
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().path("error").asText()).contains("minInstances must be between 0 and maxInstances (4), was 5");
        TestCove.Answer quick = cove.deploy("f", "nodejs:20", PID, TestCove.limits("{\"idleTimeout\": 500}"));
        assertThat(quick.status()).isEqualTo(400);
        assertThat(quick.json().path("error").asText())
                .contains("idleTimeout must be between 1000 ms and 86400000 ms (a day), was 500 ms");
        assertThat(cove.deploy("f", "nodejs:20", PID, TestCove.limits("{\"minInstances\": -1}")).status()).isEqualTo(400);
    }
}
