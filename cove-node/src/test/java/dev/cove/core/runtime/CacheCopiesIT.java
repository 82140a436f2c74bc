package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCalls;
import dev.cove.core.cache.CacheCopies;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copies of cache entries a real node or python worker keeps (docs/worker-protocol.md,
 * "uncache"), against a fake platform that counts the gets that reach it: a copy answers later gets,
 * in later activations too, until the platform says the entry changed; the hits copies answered are
 * counted in the done frames.
 */
class CacheCopiesIT {
    static final long WAIT_S = 20;
    static final String READER_JS = """
            async function main(p, ctx) {
              const seen = [];
              for (let i = 0; i < p.times; i++) seen.push(await ctx.cache.get('k'));
              return { seen };
            }
            """;
    static final String READER_PY = """
            def main(p, ctx):
                return {"seen": [ctx.cache.get("k") for _ in range(p["times"])]}
            """;

    @TempDir
    Path dir;
    Vertx vertx;
    Runtimes runtimes;
    final List<String> gets = new CopyOnWriteArrayList<>();
    final AtomicReference<CacheCopies> keeper = new AtomicReference<>();
    final AtomicReference<String> value = new AtomicReference<>("one");
    final AtomicLong hits = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        runtimes = Runtimes.start(VertxTransport.workers(vertx), new Runtimes.Options(dir, 1, 1 << 20, 1 << 20, Unconfined.provider(), PackageSources.DEFAULT),
                InlineTier.unavailable("no test here runs Java inline"));
        runtimes.connect(Calls.NONE, new CacheCalls() {
            @Override
            public CompletableFuture<ObjectNode> handle(FunctionRevision caller, ObjectNode request,
                    Optional<CacheCopies> copies) {
                gets.add(request.path("op").asText() + " " + request.path("key").asText());
                keeper.set(copies.orElseThrow());
                return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("found", true)
                        .put("value", value.get()).put("keepMs", 60_000));
            }

            @Override
            public void countHits(FunctionRevision function, long functionHits, long appHits) {
                hits.addAndGet(functionHits);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        runtimes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static List<String> seen(Instance reader, int times) throws Exception {
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        reader.run(new RunRequest(UUID.randomUUID().toString().replace("-", ""),
                JsonNodeFactory.instance.objectNode().put("times", times), Instant.now().plusSeconds(WAIT_S)),
                new Recording(new CopyOnWriteArrayList<>(), outcome));
        RunOutcome ended = outcome.get(WAIT_S, TimeUnit.SECONDS);
        assertThat(ended).as("%s", ended).isInstanceOf(RunOutcome.Returned.class);
        List<String> seen = new ArrayList<>();
        ((RunOutcome.Returned) ended).result().tree().path("seen").forEach((JsonNode v) -> seen.add(v.asText()));
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aCopyAnswersLaterGetsUntilThePlatformSaysTheEntryChanged(String runtime) throws Exception {
        boolean node = runtime.equals("nodejs");
        FunctionRevision reader = new FunctionRevision("guest", FunctionSpec.of("reader",
                node ? Kind.NODEJS : Kind.PYTHON, Code.source(node ? READER_JS : READER_PY), "main"), 1,
                Instant.now(), "app");
        Instance worker = runtimes.start(reader, new Recording(new CopyOnWriteArrayList<>(),
                new CompletableFuture<>())).get(WAIT_S, TimeUnit.SECONDS);
        CacheScope own = CacheScope.function("guest", "app", "reader");

        assertThat(seen(worker, 3)).containsExactly("one", "one", "one");
        assertThat(gets).containsExactly("get k");
        assertThat(seen(worker, 2)).as("a later activation").containsExactly("one", "one");
        assertThat(gets).hasSize(1);
        assertThat(hits.get()).as("hits the copy answered, counted at each activation's end").isEqualTo(4);

        value.set("two");
        keeper.get().changed(CacheScope.application("guest", "app"), Optional.of("k"));
        keeper.get().changed(own, Optional.of("other"));
        assertThat(seen(worker, 1)).as("changes to other entries").containsExactly("one");
        keeper.get().changed(own, Optional.of("k"));
        assertThat(seen(worker, 2)).containsExactly("two", "two");
        assertThat(gets).hasSize(2);

        value.set("three");
        keeper.get().changed(own, Optional.empty());
        assertThat(seen(worker, 2)).as("after the whole scope changed").containsExactly("three", "three");
        assertThat(gets).hasSize(3);
    }
}
