package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCalls;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the platform offers a worker the functions it may run itself, and takes them back (docs/
 * worker-protocol.md, "peer"), seen from a real node or python worker whose platform is a fake:
 * calls that reach it answer {@code {"where": "bus"}}, a callee the worker ran itself answers
 * {@code {"where": "worker"}}.
 */
class PeerOffersIT {
    static final long WAIT_S = 20;
    static final String CALLER_JS = """
            async function main(p, ctx) {
              return { ran: [(await ctx.invoke('callee', {})).where] };
            }
            """;
    static final String CALLER_PY = """
            def main(p, ctx):
                return {"ran": [ctx.invoke("callee", {})["where"]]}
            """;
    static final String CALLEE_JS = "function main() { return { where: 'worker' }; }";
    static final String CALLEE_PY = "def main(p):\n    return {'where': 'worker'}\n";

    @TempDir
    Path dir;
    Vertx vertx;
    Runtimes runtimes;
    final AtomicBoolean refusing = new AtomicBoolean();
    final List<String> fused = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        runtimes = Runtimes.start(VertxTransport.workers(vertx), new Runtimes.Options(dir, 1, 1 << 20, 1 << 20, Unconfined.provider(), PackageSources.DEFAULT),
                InlineTier.unavailable("no test here runs Java inline"));
    }

    @AfterEach
    void stop() throws Exception {
        runtimes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static FunctionRevision revision(String name, Kind kind, String code) {
        return new FunctionRevision("guest", FunctionSpec.of(name, kind, Code.source(code), "main"), 1, Instant.now(),
                "app");
    }

    /** A platform whose bus answers every call itself and whose callee is of the caller's application. */
    void connect(FunctionRevision callee) {
        runtimes.connect(new Calls() {
            @Override
            public CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target,
                    JsonNode params, boolean wait) {
                return CompletableFuture.completedFuture(new CallOutcome.Ended("b".repeat(32), true, "success",
                        JsonValue.of(JsonNodeFactory.instance.objectNode().put("where", "bus"))));
            }

            @Override
            public Optional<FunctionRevision> revisionOf(FunctionRevision caller, String target) {
                return target.equals(callee.name()) ? Optional.of(callee) : Optional.empty();
            }

            @Override
            public RunListener fused(String callerId, String activationId, FunctionRevision revision, Instance host) {
                assertThat(revision).isEqualTo(callee);
                fused.add(activationId);
                return new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
            }

            @Override
            public boolean refusing() {
                return refusing.get();
            }
        }, CacheCalls.NONE);
    }

    /** Where one call of the caller's ran: "bus" (the platform) or "worker" (fused, in the caller's worker). */
    static List<String> ran(Instance caller) throws Exception {
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        caller.run(new RunRequest(UUID.randomUUID().toString().replace("-", ""), params,
                Instant.now().plusSeconds(WAIT_S)), new Recording(new CopyOnWriteArrayList<>(), outcome));
        RunOutcome ended = outcome.get(WAIT_S, TimeUnit.SECONDS);
        assertThat(ended).isInstanceOf(RunOutcome.Returned.class);
        List<String> ran = new ArrayList<>();
        ((RunOutcome.Returned) ended).result().tree().path("ran").forEach(where -> ran.add(where.asText()));
        return ran;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aCalleeIsOfferedAfterAFirstCallTakenBackWhileThePlatformRefusesAndOfferedAgainAfter(String runtime)
            throws Exception {
        boolean node = runtime.equals("nodejs");
        Kind kind = node ? Kind.NODEJS : Kind.PYTHON;
        FunctionRevision callee = revision("callee", kind, node ? CALLEE_JS : CALLEE_PY);
        connect(callee);
        Instance caller = runtimes.start(revision("caller", kind, node ? CALLER_JS : CALLER_PY),
                new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>())).get(WAIT_S, TimeUnit.SECONDS);

        assertThat(ran(caller)).as("the first call goes to the platform, which offers the callee")
                .containsExactly("bus");
        runsSoon(caller, "worker");
        assertThat(fused).isNotEmpty();

        refusing.set(true);
        int fusedBefore = fused.size();
        assertThat(ran(caller)).as("one more runs in the worker, and the platform takes the callee back")
                .containsExactly("worker");
        assertThat(fused).hasSize(fusedBefore + 1);
        runsSoon(caller, "bus");

        refusing.set(false);
        assertThat(ran(caller)).as("a call reaches the platform again, which offers the callee again")
                .containsExactly("bus");
        runsSoon(caller, "worker");
    }

    /**
     * Calls until a call runs {@code where}: a peer or unpeer frame reaches the worker some time after
     * the call that caused it, later on a busy machine, and the calls meanwhile may still run the old way.
     */
    static void runsSoon(Instance caller, String where) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            last = ran(caller);
            if (last.equals(List.of(where))) {
                return;
            }
        }
        assertThat(last).as("a call ran in the " + where + " within " + WAIT_S + " s").containsExactly(where);
    }
}
