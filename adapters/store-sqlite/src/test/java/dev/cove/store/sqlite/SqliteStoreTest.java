package dev.cove.store.sqlite;

import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.spi.Store;
import dev.cove.core.spi.StoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store open() {
        return SqliteStore.open(dir.resolve("cove.db"));
    }

    @Test
    void deploymentsWaitForTheActivationWriterInsteadOfFailing() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int batch = 0; !stop.get(); batch++) {
                int b = batch;
                store.putActivations(IntStream.range(0, 200)
                        .mapToObj(i -> record("b" + b + "-" + i, "f", i)).toList());
            }
        });
        try {
            for (int i = 1; i <= 50; i++) {
                assertThat(store.putFunction("guest", hello("v" + i), T0).version()).isEqualTo(i);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void aGroupCommitOverTheRowLimitIsStoredAsSeveralRowsAndReadWhole() throws Exception {
        String padding = "x".repeat(100_000);
        List<ActivationRecord> records = IntStream.range(0, 12).mapToObj(i -> {
            ActivationRecord r = record("big" + i, i % 2 == 0 ? "even" : "odd", 1000 + i);
            byte[] json = ("{\"activationId\":\"" + r.activationId() + "\",\"p\":\"" + padding + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            return new ActivationRecord(r.activationId(), r.namespace(), r.name(), r.startMillis(), r.endMillis(),
                    r.statusCode(), json);
        }).toList();
        store.putActivations(records);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cove.db"));
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*), max(length(records)) FROM activation_batches")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3); // 5 records of ~100 KB fit in 512 KB
            assertThat(rs.getInt(2)).isLessThanOrEqualTo(SqliteActivations.MAX_ROW_BYTES + 5);
        }
        for (ActivationRecord r : records) {
            assertThat(store.activation("guest", r.activationId()).map(ActivationRecord::jsonText))
                    .contains(r.jsonText());
        }
        ActivationQuery evens = new ActivationQuery("guest", Optional.of("even"), Optional.empty(), Optional.empty(),
                0, 200);
        assertThat(ids(store.activations(evens))).containsExactlyElementsOf(ids(records.stream()
                .filter(r -> r.name().equals("even")).sorted(Comparator.comparingLong(ActivationRecord::startMillis)
                        .reversed()).toList()));
    }

    @Test
    void whatWasWrittenIsThereAfterReopening() {
        store.putNamespace(new Namespace("guest", "u", "k"));
        FunctionRevision put = store.putFunction("guest", hello("x"), T0);
        store.close();
        store = open();
        assertThat(store.function("guest", "hello")).contains(put);
        assertThat(store.namespace("guest")).isPresent();
    }

    @Test
    void aRecordTakesItsInvocationOutOfTheQueueAfterReopening() {
        QueuedInvocation kept = queued("q1", 1000);
        store.putQueued(List.of(kept));
        store.close();
        store = open();
        store.putActivations(List.of(record("q1", "hello", 1000)));
        assertThat(store.queued()).isEmpty();
    }

    /** A batch whose write fails leaves its invocations queued, and a later one that commits takes them. */
    @Test
    void aFailedWriteOfRecordsLeavesTheirInvocationsQueued() throws Exception {
        QueuedInvocation kept = queued("q1", 1000);
        store.putQueued(List.of(kept));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cove.db"))) {
            c.createStatement().execute("CREATE TRIGGER refuse BEFORE INSERT ON activation_batches "
                    + "BEGIN SELECT RAISE(ABORT, 'disk full'); END");
            assertThatThrownBy(() -> store.putActivations(
                    List.of(record("q1", "hello", 1000)))).isInstanceOf(Store.StoreException.class);
            assertThat(store.queued()).containsExactly(kept);
            c.createStatement().execute("DROP TRIGGER refuse");
        }
        store.putActivations(List.of(record("q1", "hello", 1000)));
        assertThat(store.queued()).isEmpty();
    }

    @Test
    void applicationsAreThereAfterReopening() {
        ApplicationRevision app = store.putApplication("guest", shop("cart", "pay"), T0);
        store.close();
        store = open();
        assertThat(store.application("guest", "shop")).contains(app);
    }

    @Test
    void triggersRulesAndLastFiresAreThereAfterReopening() {
        Trigger trigger = store.putTrigger("guest", everyMinute("tick"), T0);
        Rule rule = store.putRule("guest", new RuleSpec("r", "tick", "hello"), false, T0);
        store.putLastFire("guest", "tick", T0.plusSeconds(60));
        store.close();
        store = open();
        assertThat(store.trigger("guest", "tick")).contains(trigger);
        assertThat(store.rule("guest", "r")).contains(rule);
        assertThat(store.lastFire("guest", "tick")).contains(T0.plusSeconds(60));
    }

    @Test
    void debugSessionsAreThereAfterReopening() {
        DebugSession ended = shell("guest", "function hello", T0).closedAt(T0.plusSeconds(3)).exitedWith(0);
        DebugSession open = shell("guest", "function hello", T0.plusSeconds(4));
        store.putDebugSession(ended);
        store.putDebugSession(open);
        store.close();
        store = open();
        assertThat(store.debugSessions("guest", 10)).containsExactly(open, ended);
    }

    /** A file written before debug sessions were kept gets their table as it opens, and keeps the rest. */
    @Test
    void aStoreMadeBeforeDebugSessionsWereKeptGetsTheirTable() throws Exception {
        FunctionRevision put = store.putFunction("guest", hello("x"), T0);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cove.db"))) {
            c.createStatement().execute("DROP TABLE debug_sessions");
        }
        store = open();
        DebugSession session = shell("guest", "function hello", T0);
        store.putDebugSession(session);
        assertThat(store.debugSessions("guest", 10)).containsExactly(session);
        assertThat(store.function("guest", "hello")).contains(put);
    }

    @Test
    void failedActivationsParametersAreThereAfterReopening() {
        ReplayableFailure failed = failure("guest", "failed", 1);
        store.putReplayableFailures(List.of(failed), 1000);
        store.close();
        store = open();
        assertThat(store.replayableFailure("guest", failed.activationId())).contains(failed);
    }
}
