package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.model.Code;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.Store;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplaysTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JsonNode PARAMS = JsonNodeFactory.instance.objectNode().put("who", "ada")
            .set("n", JsonNodeFactory.instance.arrayNode().add(1).add(2.5));

    private static FunctionRevision f(int version, Instant deployed, boolean debug) {
        FunctionSpec spec = FunctionSpec.of("f", Kind.NODEJS, Code.source("function main() {}"), "main");
        return new FunctionRevision("guest", spec.withLimits(spec.limits().withDebug(debug)), version, deployed);
    }

    private static String id(int n) {
        return String.format("%032x", n);
    }

    @Test
    void aFailureIsFoundAfterARestartWithItsParametersButNotItsCode() {
        Store store = Registry.memoryStore();
        try (Replays before = new Replays(store)) {
            before.remember(id(1), T0.plusSeconds(5), f(3, T0, true), PARAMS, true);
            assertThat(before.find("guest", id(1)).flatMap(Replays.Failure::code)).contains(f(3, T0, true));
        }
        assertThat(store.replayableFailure("guest", id(1))).contains(new ReplayableFailure("guest", id(1), "f", 3,
                true, PARAMS.toString(), T0.plusSeconds(5)));

        try (Replays after = new Replays(store)) {
            assertThat(after.remembered("guest", id(1))).as("memory, after the restart").isEmpty();
            Replays.Failure found = after.find("guest", id(1)).orElseThrow();
            assertThat(found.params()).contains(PARAMS);
            assertThat(found.code()).isEmpty();
            assertThat(found.version()).isEqualTo(3);
            assertThat(found.inline()).isTrue();
            assertThat(after.find("other", id(1))).as("another namespace's").isEmpty();
        }
    }

    @Test
    void aFunctionWithDebugOffHasItsFailuresFunctionRememberedButNotTheirParameters() {
        Store store = Registry.memoryStore();
        try (Replays replays = new Replays(store)) {
            replays.remember(id(1), T0, f(1, T0, false), PARAMS, false);
            Replays.Failure failure = replays.remembered("guest", id(1)).orElseThrow();
            assertThat(failure.function()).isEqualTo("f");
            assertThat(failure.params()).isEmpty();
        }
        assertThat(store.replayableFailure("guest", id(1))).isEmpty();
    }

    /**
     * While the store is stuck, the failures given are found all the same, and at most KEPT wait: the
     * first one, gone from memory, is found among them.
     */
    @Test
    void whileTheStoreIsBehindAtMostKeptWaitAndTheyAreFoundMeanwhile() throws Exception {
        Store memory = Registry.memoryStore();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Store stuck = new DelegatingStore(memory) {
            @Override
            public void putReplayableFailures(List<ReplayableFailure> failures, int keepPerNamespace) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.putReplayableFailures(failures, keepPerNamespace);
            }
        };
        Replays replays = new Replays(stuck);
        replays.remember(id(0), T0, f(1, T0, true), PARAMS, false);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        IntStream.rangeClosed(1, Replays.KEPT).forEach(n -> replays.remember(id(n), T0.plusSeconds(n), f(1, T0, true),
                PARAMS, false));
        assertThat(replays.remembered("guest", id(0))).as("memory keeps the last KEPT").isEmpty();
        assertThat(replays.find("guest", id(0)).flatMap(Replays.Failure::params)).contains(PARAMS);
        release.countDown();
        replays.close();
        assertThat(IntStream.range(0, Replays.KEPT).filter(n -> memory.replayableFailure("guest", id(n)).isPresent()))
                .hasSize(Replays.KEPT);
        assertThat(memory.replayableFailure("guest", id(Replays.KEPT))).as("the one past those waiting").isEmpty();
    }

    @Test
    void aFailureThatComesOnceClosedIsNotStored() {
        Store store = Registry.memoryStore();
        Replays replays = new Replays(store);
        replays.close();
        replays.remember(id(1), T0, f(1, T0, true), PARAMS, false);
        assertThat(store.replayableFailure("guest", id(1))).isEmpty();
        assertThat(replays.find("guest", id(1))).as("memory still has it").isPresent();
    }

    /** Which version a replay runs on, asked of each kind of failure. */
    @Test
    void aReplayRunsOnTheVersionItRanOnWhileItsCodeIsKnown() {
        FunctionRevision v3 = f(3, T0, true);
        FunctionRevision v4 = f(4, T0.plusSeconds(60), true);
        Replays.Failure inMemory = failure(Optional.of(v3), 3, T0.plusSeconds(10));
        Replays.Failure stored = failure(Optional.empty(), 3, T0.plusSeconds(10));

        assertThat(inMemory.runOn(v3, false)).isEqualTo(v3);
        assertThat(inMemory.runOn(v4, false)).as("deployed over: memory has its code").isEqualTo(v3);
        assertThat(inMemory.runOn(v4, true)).isEqualTo(v4);
        assertThat(stored.runOn(v3, false)).as("still the current version").isEqualTo(v3);
        assertThat(stored.runOn(v4, true)).isEqualTo(v4);
        assertThatThrownBy(() -> stored.runOn(v4, false)).isInstanceOf(ConflictException.class)
                .hasMessage("Activation " + id(7) + " of f ran on version 0.0.3, whose code is no longer kept since"
                        + " 0.0.4 was deployed: cove replay " + id(7) + " --latest (latest=true) runs it on 0.0.4.");
        FunctionRevision v3Again = f(3, T0.plusSeconds(20), true); // deleted, then deployed three times again
        assertThatThrownBy(() -> stored.runOn(v3Again, false)).as("the same number, deployed after it ran")
                .isInstanceOf(ConflictException.class);
    }

    private static Replays.Failure failure(Optional<FunctionRevision> code, int version, Instant started) {
        return new Replays.Failure("guest", id(7), "f", version, code, Optional.of(PARAMS), false, started);
    }
}
