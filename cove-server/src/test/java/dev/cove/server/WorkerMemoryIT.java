package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.core.model.Scaling;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's budget for its workers' memory (here 512 MB, functions of 256 MB): a new instance that
 * would pass it stops the least recently used idle instance of another function first; when every
 * instance is busy, the request waits, then fails saying so; a function that could never fit is refused.
 */
class WorkerMemoryIT {
    private static final String QUICK = "function main(p) { return {ok: true}; }";
    private static final String SLOW = "function main(p) { return new Promise(r => setTimeout(() => r({}), 5000)); }";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestCove cove;

    @BeforeEach
    void start() throws Exception {
        cove = new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir).withStemCellsPerRuntime(1)
                .withScaling(Scaling.of(512).withMaxWait(Duration.ofSeconds(1)))); // late below waits its 1.5 s time limit
    }

    @AfterEach
    void stop() {
        cove.close();
    }

    private void deploy(String name, String code, String limits) throws Exception {
        TestCove.Answer answer = cove.deploy(name, "nodejs:20", code, TestCove.limits(limits));
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
    }

    private int instances(String name) throws Exception {
        JsonNode i = cove.get("/api/v1/namespaces/_/actions/" + name + "?code=false").json().path("instances");
        return i.path("starting").asInt() + i.path("busy").asInt() + i.path("idle").asInt();
    }

    private void invoke(String name) throws Exception {
        TestCove.Answer answer = cove.invoke(name, TestCove.object());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
    }

    @Test
    void aNewInstanceStopsTheLeastRecentlyUsedIdleOneOfAnotherFunction() throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            deploy(name, QUICK, "{\"memory\": 256}");
        }
        invoke("a");
        invoke("b");
        invoke("c"); // 768 MB would pass 512: a, idle longest, makes room
        assertThat(instances("a")).isZero();
        assertThat(instances("b")).isEqualTo(1);
        assertThat(instances("c")).isEqualTo(1);
        invoke("a"); // and now b
        assertThat(instances("b")).isZero();
    }

    @Test
    void whenEveryInstanceIsBusyARequestWaitsThenFailsSayingSo() throws Exception {
        deploy("busy1", SLOW, "{\"memory\": 256, \"timeout\": 20000}");
        deploy("busy2", SLOW, "{\"memory\": 256, \"timeout\": 20000}");
        deploy("late", QUICK, "{\"memory\": 256, \"timeout\": 1500}");
        for (String name : new String[] {"busy1", "busy2"}) {
            assertThat(cove.post("/api/v1/namespaces/_/actions/" + name, TestCove.object()).status()).isEqualTo(202);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((instances("busy1") == 0 || instances("busy2") == 0) && System.nanoTime() < deadline) {
            Thread.sleep(50); // their starts announce themselves nowhere
        }

        TestCove.Answer late = cove.invoke("late", TestCove.object());
        assertThat(late.status()).as(late.raw().body()).isEqualTo(503);
        assertThat(late.header("Retry-After")).isEqualTo("1");
        assertThat(late.json().path("response").path("result").path("error").asText())
                .startsWith("No memory for an instance of late: the node's workers have a budget of 512 MB, held by busy"
                        + " instances, and this one needs 256 MB; the activation waited ");
    }

    @Test
    void aFunctionThatCouldNeverFitIsRefused() throws Exception {
        TestCove.Answer big = cove.deploy("big", "nodejs:20", QUICK, TestCove.limits("{\"memory\": 1024}"));
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().path("error").asText()).contains("The memory limit of big, 1024 MB, is more than all of"
                + " this node's workers may have together (512 MB, cove up --worker-memory).");
    }
}
