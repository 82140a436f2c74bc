package dev.cove.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import dev.cove.core.runtime.Fixtures;
import dev.cove.core.runtime.Recording;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.cove.core.runtime.Fixtures.handler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link InlineTier} that runs functions must do; each implementation's test extends this.
 * Functions are compiled as the platform stages them ({@link Fixtures#compileInto}), started on a
 * virtual thread as the platform starts them, and run without a platform: their calls are refused.
 */
public abstract class InlineTierContract {
    /** How long anything here may take on a busy machine; what is timed is asserted on its own. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectNode NO_PARAMS = JsonNodeFactory.instance.objectNode();

    @TempDir
    Path dir;

    /** The implementation under test, on a JVM where it can run functions. */
    protected abstract InlineTier tier();

    @Test
    void isAvailable() {
        assertThat(tier().unavailable()).isEmpty();
    }

    @Test
    void runsAHandlerWithItsOutputInItsLogs() throws Exception {
        Started echo = start("echo", handler("System.out.println(\"hello \" + params.get(\"name\"));"
                + " return Map.of(\"greeting\", \"hi \" + params.get(\"name\"), \"id\", context.activationId());", ""),
                Limits.DEFAULT);
        assertThat(echo.reasons()).isEmpty();

        Recording run = echo.run("a1", JsonNodeFactory.instance.objectNode().put("name", "Ada"), Duration.ofSeconds(10));

        RunOutcome outcome = run.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOfSatisfying(RunOutcome.Returned.class, r -> assertThat(r.result().tree())
                .isEqualTo(JsonNodeFactory.instance.objectNode().put("greeting", "hi Ada").put("id", "a1")));
        assertThat(run.logs()).containsExactly("hello Ada");
        assertThat(echo.instance().alive()).isTrue();
        assertThat(echo.moves()).isEmpty();
        echo.instance().kill("the test is over");
        assertThat(echo.instance().alive()).isFalse();
    }

    @Test
    void refusesAClassOffItsAllowListSayingWhy() throws Exception {
        String source = handler("return Map.of(\"n\", new java.io.FileInputStream(\"/etc/hostname\").read());", "");
        Path classes = dir.resolve("snoop");
        String main = Fixtures.compileInto(classes, source);

        assertThat(tier().check(classes, main)).first().asString()
                .isEqualTo("Probe.handle creates java.io.FileInputStream");

        List<String> moves = new CopyOnWriteArrayList<>();
        CompletableFuture<Instance> started = startOnVirtualThread(revision("snoop", main, Limits.DEFAULT), classes, moves);
        assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InlineTier.Moved.class).hasMessageContaining("Probe.handle creates java.io.FileInputStream");
        assertThat(moves).singleElement().asString().contains("Probe.handle creates java.io.FileInputStream");
    }

    @Test
    void stopsAnEndlessLoopAtItsTimeLimit() throws Exception {
        Duration timeout = Duration.ofMillis(100); // under the CPU an activation may use inline, so time stops it first
        Started loop = start("loop", handler("long i = 0; while (true) { i++; }", ""),
                new Limits(timeout, 128, 1, 10, 1, Network.NONE));
        CompletableFuture<Void> died = new CompletableFuture<>();
        loop.instance().onDeath(() -> died.complete(null));

        long startedNanos = System.nanoTime();
        Recording run = loop.run("a1", NO_PARAMS, timeout);

        died.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - startedNanos)).isGreaterThanOrEqualTo(timeout);
        assertThat(loop.moves()).containsExactly("an inline activation ran past its time limit of 100 ms");
        assertThat(run.outcome().getNow(null) instanceof RunOutcome.Returned).as("the loop returned").isFalse();
    }

    @Test
    void stopsAnAllocationBombAtItsMemoryLimit() throws Exception {
        // grows fourfold up to an array that would pass 128 MB: stopped before it allocates it
        Started bomb = start("bomb", handler("List<long[]> keep = new ArrayList<>();"
                + " for (int n = 1 << 16; ; n *= 4) { keep.add(new long[n]); }", ""),
                new Limits(Duration.ofSeconds(10), 128, 1, 10, 1, Network.NONE));

        Recording run = bomb.run("a1", NO_PARAMS, Duration.ofSeconds(10));

        RunOutcome outcome = run.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome).as("it had no effects: it runs again in the process tier")
                .isEqualTo(new RunOutcome.Rerun("The function allocated more than its memory limit of 128 MB."));
        assertThat(bomb.moves()).containsExactly("an inline activation allocated more than its memory limit of 128 MB");
        assertThat(bomb.instance().alive()).isFalse();
    }

    /** Compiles the source, checks it and starts an instance of it. */
    private Started start(String name, String source, Limits limits) throws Exception {
        Path classes = dir.resolve(name);
        String main = Fixtures.compileInto(classes, source);
        List<String> reasons = tier().check(classes, main);
        List<String> moves = new CopyOnWriteArrayList<>();
        Instance instance = startOnVirtualThread(revision(name, main, limits), classes, moves)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new Started(instance, reasons, moves);
    }

    /** Refuses calls, cache operations and messages: no case here makes any. */
    private static final FunctionCalls NO_CALLS = new FunctionCalls() {
        @Override
        public CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target,
                JsonNode params, boolean wait) {
            return CompletableFuture.completedFuture(new CallOutcome.Refused("no calls here"));
        }

        @Override
        public CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request) {
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("error", "no cache here"));
        }

        @Override
        public CompletableFuture<String> publish(FunctionRevision caller, String callerId, String topic,
                ObjectNode message) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no topics here"));
        }
    };

    private CompletableFuture<Instance> startOnVirtualThread(FunctionRevision revision, Path classes, List<String> moves) {
        CompletableFuture<Instance> started = new CompletableFuture<>();
        Recording initLogs = new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        Thread.ofVirtual().start(() -> {
            try {
                started.complete(tier().start(revision, classes, initLogs, NO_CALLS, moves::add));
            } catch (Exception | Error e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    private static FunctionRevision revision(String name, String main, Limits limits) {
        FunctionSpec spec = FunctionSpec.of(name, Kind.JAVA, Code.source("// compiled by the test"), main)
                .withLimits(limits);
        return new FunctionRevision("guest", spec, 1, Instant.now());
    }

    /** An instance, what the check said of its code, and the reasons it was moved to the process tier since. */
    private record Started(Instance instance, List<String> reasons, List<String> moves) {

        /** Starts the activation {@code id} with these parameters, due after {@code timeout}. */
        Recording run(String id, ObjectNode params, Duration timeout) {
            Recording recording = new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
            instance.run(new RunRequest(id, params, Instant.now().plus(timeout)), recording);
            return recording;
        }
    }
}
