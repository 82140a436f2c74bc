package dev.cove.core.invoke;

import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActivationLogTest {
    /** The fixtures started in 1970: a retention that keeps them. */
    static final Duration FOREVER = Duration.ofDays(365L * 200);

    @Test
    void recordsReachTheStoreAndAreServedUntilThen() throws Exception {
        Store store = Registry.memoryStore();
        try (ActivationLog log = ActivationLog.start(store, Clock.systemUTC(), Duration.ofMillis(5), 100, FOREVER)) {
            Activation a = ActivationTest.activation(ActivationStatus.SUCCESS, Optional.empty());
            log.add(a);
            assertThat(log.recent("guest", a.activationId()).or(() -> store.activation("guest", a.activationId())))
                    .isPresent();
            assertThat(log.recent("other", a.activationId())).isEmpty();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (store.activation("guest", a.activationId()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.activation("guest", a.activationId())).isPresent();
            assertThat(log.full()).isFalse();
        }
    }

    @Test
    void closingStoresWhatIsQueued() {
        Store store = Registry.memoryStore();
        ActivationLog log = ActivationLog.start(store, Clock.systemUTC(), Duration.ofSeconds(10), 100_000, FOREVER);
        for (int i = 0; i < 5000; i++) {
            Activation a = ActivationTest.activation(ActivationStatus.SUCCESS, Optional.empty());
            log.add(new Activation(String.format("%032x", i), a.revision(), a.start(), a.end(), a.status(),
                    a.result(), a.logs(), a.initTime(), a.waitTime(), a.causedBy(), a.tier()));
        }
        log.close();
        assertThat(store.activations(ActivationQuery.latest("guest", 200))).hasSize(200);
        assertThat(store.deleteActivationsStartedBefore(Long.MAX_VALUE)).isEqualTo(5000);
    }

    @Test
    void aRecordIsInTheLogOrTheStoreAtEveryMomentOfItsWrite() throws Exception {
        Store store = Registry.memoryStore();
        try (ActivationLog log = ActivationLog.start(store, Clock.systemUTC(), Duration.ofMillis(1), 100_000, FOREVER)) {
            Activation template = ActivationTest.activation(ActivationStatus.SUCCESS, Optional.empty());
            for (int i = 0; i < 3000; i++) {
                String id = String.format("%032x", i);
                log.add(new Activation(id, template.revision(), template.start(), template.end(), template.status(),
                        template.result(), template.logs(), template.initTime(), template.waitTime(),
                        template.causedBy(), template.tier()));
                String earlier = String.format("%032x", i / 2); // the log first, then the store, as reads look
                assertThat(log.recent("guest", earlier).or(() -> store.activation("guest", earlier)))
                        .as("activation %s after %s were added", earlier, i + 1).isPresent();
            }
        }
        assertThat(store.deleteActivationsStartedBefore(Long.MAX_VALUE)).isEqualTo(3000);
    }

    @Test
    void closingGivesUpOnAStoreThatRefusesWrites() {
        ActivationLog log = ActivationLog.start(new StoreThatFails(), Clock.systemUTC(), Duration.ofMillis(1), 100,
                FOREVER);
        log.add(ActivationTest.activation(ActivationStatus.SUCCESS, Optional.empty()));
        long start = System.nanoTime();
        log.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBacklogOverTheLimitIsFull() {
        Store slow = new StoreThatFails();
        try (ActivationLog log = ActivationLog.start(slow, Clock.systemUTC(), Duration.ofMillis(1), 3,
                Duration.ofDays(7))) {
            for (int i = 0; i < 3; i++) {
                log.add(ActivationTest.activation(ActivationStatus.SUCCESS, Optional.empty()));
            }
            assertThat(log.full()).isTrue();
        }
    }

    @Test
    void recordsDebugSessionsAndFailuresOlderThanTheRetentionAreRemoved() {
        Store store = Registry.memoryStore();
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        store.putActivations(List.of(
                new ActivationRecord("old", "guest", "f", now.minus(Duration.ofDays(8)).toEpochMilli(), 0, 0, new byte[0]),
                new ActivationRecord("new", "guest", "f", now.minus(Duration.ofDays(6)).toEpochMilli(), 0, 0, new byte[0])));
        DebugSession oldShell = DebugSession.open("guest", "u", "function f", now.minus(Duration.ofDays(8)));
        DebugSession newShell = DebugSession.open("guest", "u", "function f", now.minus(Duration.ofDays(6)));
        store.putDebugSession(oldShell);
        store.putDebugSession(newShell);
        ReplayableFailure oldFailure = new ReplayableFailure("guest", "old", "f", 1, false, "{}", now.minus(Duration.ofDays(8)));
        ReplayableFailure newFailure = new ReplayableFailure("guest", "new", "f", 1, false, "{}", now.minus(Duration.ofDays(6)));
        store.putReplayableFailures(List.of(oldFailure, newFailure), 10);
        try (ActivationLog log = ActivationLog.start(store, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMillis(5),
                100, Duration.ofDays(7))) {
            log.removeExpired();
        }
        assertThat(store.activations(ActivationQuery.latest("guest", 10))).extracting(ActivationRecord::activationId)
                .containsExactly("new");
        assertThat(store.debugSessions("guest", 10)).containsExactly(newShell);
        assertThat(store.replayableFailure("guest", "old")).isEmpty();
        assertThat(store.replayableFailure("guest", "new")).contains(newFailure);
    }

    /** A store whose writes fail, as a full disk would make them. */
    private static final class StoreThatFails extends DelegatingStore {
        StoreThatFails() {
            super(Registry.memoryStore());
        }

        @Override
        public void putActivations(List<ActivationRecord> records) {
            throw new StoreException("disk full", null);
        }
    }
}
