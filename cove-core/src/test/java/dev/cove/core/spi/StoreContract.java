package dev.cove.core.spi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.Code;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.Dependencies;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.HttpRoute;
import dev.cove.core.model.Kind;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.Network;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Schedule;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link Store} must do; each implementation's test extends this. */
public abstract class StoreContract {
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected Store store;

    protected abstract Store open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static FunctionSpec hello(String source) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("name", "Ada");
        return FunctionSpec.of("hello", Kind.NODEJS, Code.source(source), "main")
                .withParameters(params)
                .withEnv(Map.of("GREETING", "hi"))
                .withLimits(new Limits(Duration.ofSeconds(3), 512, 4, 1, 2, Network.OUTBOUND)
                        .withScaling(1, Duration.ofSeconds(90)).withDebug(false));
    }

    /** An id as the platform makes them: the arrival time in 12 hex digits, then 20 more (here the label's). */
    protected static String id(String label, long arrival) {
        String tail = HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8));
        return String.format("%012x", arrival) + "0".repeat(20 - tail.length()) + tail;
    }

    protected static ActivationRecord record(String label, String name, long start) {
        return record(label, "guest", name, start);
    }

    protected static ActivationRecord record(String label, String namespace, String name, long start) {
        String id = id(label, start);
        return new ActivationRecord(id, namespace, name, start, start + 5, 0,
                ("{\"activationId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    protected static List<String> ids(List<ActivationRecord> records) {
        return records.stream().map(ActivationRecord::activationId).toList();
    }

    @Test
    void namespacesAreCreatedAndTheirKeysReplaced() {
        store.putNamespace(new Namespace("guest", "u1", "k1"));
        store.putNamespace(new Namespace("guest", "u1", "k2"));
        assertThat(store.namespace("guest")).contains(new Namespace("guest", "u1", "k2"));
        assertThat(store.namespace("other")).isEmpty();
        assertThat(store.namespaces()).hasSize(1);
    }

    @Test
    void aFunctionsLabelsRoundTrip() {
        store.putFunction("guest", hello("x").withLabels(Map.of("function", "downscale", "created-by", "cove")), T0);
        assertThat(store.function("guest", "hello").orElseThrow().spec().labels())
                .isEqualTo(Map.of("created-by", "cove", "function", "downscale"));
    }

    @Test
    void aFunctionRoundTripsWithEveryField() {
        FunctionRevision put = store.putFunction("guest", hello("function main() {}"), T0);
        assertThat(put.version()).isEqualTo(1);
        FunctionRevision got = store.function("guest", "hello").orElseThrow();
        assertThat(got).isEqualTo(put);
        assertThat(got.spec().env()).containsEntry("GREETING", "hi");
        assertThat(got.spec().parameters().path("name").asText()).isEqualTo("Ada");
        assertThat(got.spec().limits()).isEqualTo(new Limits(Duration.ofSeconds(3), 512, 4, 1, 2, Network.OUTBOUND)
                .withScaling(1, Duration.ofSeconds(90)).withDebug(false));
        assertThat(got.updated()).isEqualTo(T0);
    }

    @Test
    void aFunctionKeepsItsDependenciesAndAVersionWithoutThemHasNone() {
        Dependencies requirements = new Dependencies("covetiny==1.0\nrequests>=2 ; python_version >= '3.8'\n");
        FunctionSpec spec = FunctionSpec.of("needs", Kind.PYTHON, Code.source("def main(a): return a"), "main")
                .withDependencies(requirements);
        FunctionRevision put = store.putFunction("guest", spec, T0);
        assertThat(store.function("guest", "needs").orElseThrow()).isEqualTo(put);
        assertThat(store.function("guest", "needs").orElseThrow().spec().dependencies()).isEqualTo(requirements);
        store.putFunction("guest", spec.withDependencies(Dependencies.NONE), T0.plusSeconds(1));
        assertThat(store.function("guest", "needs").orElseThrow().spec().dependencies().none()).isTrue();
    }

    @Test
    void redeployingBumpsTheVersionAndReplacesTheCode() {
        store.putFunction("guest", hello("v1"), T0);
        FunctionRevision second = store.putFunction("guest", hello("v2"), T0.plusSeconds(1));
        assertThat(second.version()).isEqualTo(2);
        assertThat(store.function("guest", "hello").orElseThrow().spec().code().text()).isEqualTo("v2");
    }

    @Test
    void archivesKeepTheirBytes() {
        byte[] zip = {0x50, 0x4b, 3, 4, 0, -1, 7};
        FunctionSpec spec = FunctionSpec.of("zipped", Kind.PYTHON, Code.archive(zip), "main");
        store.putFunction("guest", spec, T0);
        Code code = store.function("guest", "zipped").orElseThrow().spec().code();
        assertThat(code.binary()).isTrue();
        assertThat(code.bytes()).containsExactly(zip);
    }

    @Test
    void functionsAreListedAcrossNamespacesAndDeleted() {
        store.putFunction("guest", hello("x"), T0);
        store.putFunction("other", hello("y"), T0);
        assertThat(store.functions()).extracting(FunctionRevision::namespace).containsExactly("guest", "other");
        assertThat(store.deleteFunction("guest", "hello")).isPresent();
        assertThat(store.deleteFunction("guest", "hello")).isEmpty();
        assertThat(store.function("guest", "hello")).isEmpty();
        assertThat(store.putFunction("guest", hello("z"), T0).version()).isEqualTo(1);
    }

    protected static ApplicationSpec shop(String... functions) {
        List<FunctionSpec> specs = Arrays.stream(functions)
                .map(n -> FunctionSpec.of(n, Kind.PYTHON, Code.source("def main(a): return a"), "main")).toList();
        return new ApplicationSpec("shop", specs, Optional.of(JsonNodeFactory.instance.objectNode().put("StartAt", "x")));
    }

    @Test
    void anApplicationStoresItsFunctionsAsOneVersion() {
        ApplicationRevision app = store.putApplication("guest", shop("cart", "pay"), T0);
        assertThat(app.version()).isEqualTo(1);
        assertThat(app.functionNames()).containsExactly("cart", "pay");
        assertThat(app.functions()).allSatisfy(f -> assertThat(f.application()).isEqualTo("shop"));
        assertThat(app.workflow().orElseThrow().path("StartAt").asText()).isEqualTo("x");
        assertThat(store.function("guest", "cart").orElseThrow().application()).isEqualTo("shop");
        assertThat(store.applications()).containsExactly(app);
    }

    @Test
    void redeployingAnApplicationBumpsVersionsAndRemovesWhatItNoLongerNames() {
        store.putApplication("guest", shop("cart", "pay"), T0);
        ApplicationRevision second = store.putApplication("guest", shop("cart", "ship"), T0.plusSeconds(1));
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.function("cart").orElseThrow().version()).isEqualTo(2);
        assertThat(second.function("ship").orElseThrow().version()).isEqualTo(1);
        assertThat(second.functionNames()).containsExactly("cart", "ship");
        assertThat(store.function("guest", "pay")).isEmpty();
    }

    @Test
    void aFunctionAloneJoinsAnApplicationAndARedeploymentAloneKeepsIt() {
        assertThat(store.putFunction("guest", hello("x"), T0).application()).isEqualTo("hello");
        store.putApplication("guest", new ApplicationSpec("shop", List.of(hello("y")), Optional.empty()), T0);
        FunctionRevision again = store.putFunction("guest", hello("z"), T0);
        assertThat(again.application()).isEqualTo("shop");
        assertThat(again.version()).isEqualTo(3);
        assertThat(store.application("guest", "shop").orElseThrow().function("hello")).contains(again);
        assertThat(store.application("guest", "shop").orElseThrow().workflow()).isEmpty();
    }

    @Test
    void deletingAnApplicationDeletesItsFunctionsOnly() {
        store.putFunction("guest", FunctionSpec.of("alone", Kind.NODEJS, Code.source("x"), "main"), T0);
        store.putApplication("guest", shop("cart", "pay"), T0);
        store.putApplication("other", shop("cart"), T0);
        assertThat(store.deleteApplication("guest", "shop")).isPresent();
        assertThat(store.deleteApplication("guest", "shop")).isEmpty();
        assertThat(store.functions()).extracting(FunctionRevision::path).containsExactly("guest/alone", "other/cart");
        assertThat(store.application("other", "shop")).isPresent();
    }

    @Test
    void activationsAreListedNewestFirstAndFiltered() {
        store.putActivations(List.of(record("a1", "hello", 1000), record("a2", "other", 2000),
                record("a3", "hello", 3000)));
        assertThat(ids(store.activations(ActivationQuery.latest("guest", 10))))
                .containsExactly(id("a3", 3000), id("a2", 2000), id("a1", 1000));
        ActivationQuery helloSince = new ActivationQuery("guest", Optional.of("hello"), Optional.of(1500L),
                Optional.empty(), 0, 10);
        assertThat(ids(store.activations(helloSince))).containsExactly(id("a3", 3000));
        ActivationQuery upto = new ActivationQuery("guest", Optional.empty(), Optional.empty(), Optional.of(2000L),
                1, 1);
        assertThat(ids(store.activations(upto))).containsExactly(id("a1", 1000));
        assertThat(store.activations(ActivationQuery.latest("other", 10))).isEmpty();
    }

    protected static ActivationRecord causedBy(ActivationRecord r, ActivationRecord parent) {
        return new ActivationRecord(r.activationId(), r.namespace(), r.name(), r.startMillis(), r.endMillis(),
                r.statusCode(), r.json(), Optional.of(parent.activationId()));
    }

    @Test
    void activationsAreFoundByTheActivationThatCausedThem() {
        ActivationRecord root = record("r", "a", 1000);
        ActivationRecord second = causedBy(record("c2", "c", 1002), root);
        ActivationRecord first = causedBy(record("c1", "b", 1001), root);
        ActivationRecord grandchild = causedBy(record("g", "d", 1003), first);
        store.putActivations(List.of(root, second));
        store.putActivations(List.of(first, grandchild, record("other", "b", 1004)));
        assertThat(ids(store.activationsCausedBy("guest", root.activationId())))
                .containsExactly(first.activationId(), second.activationId());
        assertThat(store.activationsCausedBy("guest", root.activationId()).get(0).causedBy())
                .contains(root.activationId());
        assertThat(ids(store.activationsCausedBy("guest", first.activationId()))).containsExactly(grandchild.activationId());
        assertThat(store.activationsCausedBy("other", root.activationId())).isEmpty();
        store.deleteActivationsStartedBefore(1002);
        assertThat(ids(store.activationsCausedBy("guest", root.activationId()))).containsExactly(second.activationId());
    }

    @Test
    void queuedInvocationsAreKeptUntilRemoved() {
        QueuedInvocation later = new QueuedInvocation(id("q2", 2000), "guest", "hello",
                JsonNodeFactory.instance.objectNode().put("n", 2), Optional.of(id("c", 1500)), 2000);
        QueuedInvocation first = new QueuedInvocation(id("q1", 1000), "other", "hello",
                JsonNodeFactory.instance.objectNode().set("deep", JsonNodeFactory.instance.arrayNode().add("é")),
                Optional.empty(), 1000);
        store.putQueued(List.of(later, first));
        assertThat(store.queued()).containsExactly(first, later);
        store.removeQueued(List.of(first.activationId(), id("none", 1)));
        assertThat(store.queued()).containsExactly(later);
    }

    protected static QueuedInvocation queued(String label, long arrival) {
        return new QueuedInvocation(id(label, arrival), "guest", "hello",
                JsonNodeFactory.instance.objectNode().put("label", label), Optional.empty(), arrival);
    }

    @Test
    void aRecordTakesItsInvocationOutOfTheQueueInItsOwnTransaction() {
        QueuedInvocation ended = queued("q1", 1000);
        QueuedInvocation running = queued("q2", 1001);
        store.putQueued(List.of(ended, running));
        store.putActivations(List.of(record("q1", "hello", 1000), record("other", "hello", 1000)));
        assertThat(store.queued()).containsExactly(running);
        assertThat(store.activation("guest", ended.activationId())).isPresent();
    }

    protected static ExecutionRecord execution(String label, String application, String status, long start) {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("status", status).put("label", "é " + label);
        return new ExecutionRecord(id(label, start), "guest", application, status, start, document);
    }

    @Test
    void executionsAreReplacedListedNewestFirstAndFoundWhileRunning() {
        ExecutionRecord first = execution("e1", "shop", ExecutionRecord.RUNNING, 1000);
        ExecutionRecord second = execution("e2", "other", ExecutionRecord.RUNNING, 2000);
        store.putExecution(first);
        store.putExecution(second);
        ExecutionRecord firstDone = execution("e1", "shop", "SUCCEEDED", 1000);
        store.putExecution(firstDone);
        assertThat(store.execution("guest", first.executionId())).contains(firstDone);
        assertThat(store.execution("other", first.executionId())).isEmpty();
        assertThat(store.executions("guest", 10)).containsExactly(second, firstDone);
        assertThat(store.executions("guest", "shop", 10)).containsExactly(firstDone);
        assertThat(store.executions("guest", 1)).containsExactly(second);
        assertThat(store.runningExecutions()).containsExactly(second);
    }

    @Test
    void anActivationIsFoundOnlyInItsNamespace() {
        store.putActivations(List.of(record("a1", "hello", 1000)));
        assertThat(store.activation("guest", id("a1", 1000)).orElseThrow().jsonText()).contains(id("a1", 1000));
        assertThat(store.activation("other", id("a1", 1000))).isEmpty();
        assertThat(store.activation("guest", id("a2", 1000))).isEmpty();
    }

    @Test
    void manyActivationsGoInOneBatch() {
        List<ActivationRecord> batch = IntStream.range(0, 2000).mapToObj(i -> record("id" + i, "f", i)).toList();
        store.putActivations(batch);
        assertThat(store.activations(ActivationQuery.latest("guest", 200))).hasSize(200);
        assertThat(store.activations(ActivationQuery.latest("guest", 1)).get(0).activationId())
                .isEqualTo(id("id1999", 1999));
        assertThat(store.activation("guest", id("id777", 777))).isPresent();
    }

    @Test
    void oldActivationsAreRemoved() {
        store.putActivations(List.of(record("a1", "f", 1000), record("a2", "f", 2000), record("a3", "f", 3000)));
        store.putActivations(List.of(record("a0", "f", 500)));
        assertThat(store.deleteActivationsStartedBefore(2500)).isEqualTo(3);
        assertThat(ids(store.activations(ActivationQuery.latest("guest", 10)))).containsExactly(id("a3", 3000));
        assertThat(store.activation("guest", id("a3", 3000))).isPresent();
        assertThat(store.activation("guest", id("a1", 1000))).isEmpty();
        assertThat(store.deleteActivationsStartedBefore(2500)).isZero();
    }

    @Test
    void aLongActivationStoredLaterStillListsInStartOrder() {
        // stored in the order they ended: the long one started first but ended last
        store.putActivations(List.of(record("short1", "f", 2000), record("short2", "g", 3000)));
        store.putActivations(List.of(record("short3", "f", 4000)));
        store.putActivations(List.of(record("long", "f", 1000)));
        assertThat(ids(store.activations(ActivationQuery.latest("guest", 10))))
                .containsExactly(id("short3", 4000), id("short2", 3000), id("short1", 2000), id("long", 1000));
        ActivationQuery second = new ActivationQuery("guest", Optional.of("f"), Optional.empty(), Optional.empty(), 1, 2);
        assertThat(ids(store.activations(second))).containsExactly(id("short1", 2000), id("long", 1000));
        assertThat(store.activation("guest", id("long", 1000))).isPresent();
    }

    @Test
    void namespacesSharingABatchSeeOnlyTheirOwn() {
        store.putActivations(List.of(record("mine", "guest", "f", 1000), record("theirs", "other", "f", 2000)));
        assertThat(ids(store.activations(ActivationQuery.latest("guest", 10)))).containsExactly(id("mine", 1000));
        assertThat(ids(store.activations(ActivationQuery.latest("other", 10)))).containsExactly(id("theirs", 2000));
        assertThat(store.activation("guest", id("theirs", 2000))).isEmpty();
    }

    protected static DebugSession shell(String namespace, String target, Instant opened) {
        return DebugSession.open(namespace, "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", target, opened);
    }

    @Test
    void aDebugSessionIsReplacedByItsEndAndListedMostRecentFirst() {
        DebugSession first = shell("guest", "activation " + id("a1", 1000), T0);
        DebugSession second = shell("guest", "function hello", T0.plusSeconds(5));
        DebugSession theirs = shell("other", "function hello", T0.plusSeconds(9));
        store.putDebugSession(first);
        store.putDebugSession(second);
        store.putDebugSession(theirs);
        assertThat(store.debugSessions("guest", 10)).containsExactly(second, first);

        DebugSession closed = first.closedAt(T0.plusMillis(2500));
        store.putDebugSession(closed);
        DebugSession exited = closed.exitedWith(137);
        store.putDebugSession(exited);
        assertThat(store.debugSessions("guest", 10)).containsExactly(second, exited);
        assertThat(store.debugSessions("guest", 10).get(1).duration()).contains(Duration.ofMillis(2500));
        assertThat(store.debugSessions("guest", 10).get(0).closed()).isEmpty();
        assertThat(store.debugSessions("guest", 10).get(0).exit()).isEmpty();
        assertThat(store.debugSessions("guest", 1)).containsExactly(second);
        assertThat(store.debugSessions("other", 10)).containsExactly(theirs);
        assertThat(store.debugSessions("nobody", 10)).isEmpty();
    }

    @Test
    void debugSessionsOpenedBeforeACutoffAreRemovedInEveryNamespace() {
        DebugSession old = shell("guest", "function f", T0);
        DebugSession oldOfTheirs = shell("other", "function f", T0.plusSeconds(1)).closedAt(T0.plusSeconds(3600));
        DebugSession kept = shell("guest", "function f", T0.plusSeconds(2));
        List.of(old, oldOfTheirs, kept).forEach(store::putDebugSession);
        assertThat(store.deleteDebugSessionsOpenedBefore(T0.plusSeconds(2).toEpochMilli())).isEqualTo(2);
        assertThat(store.debugSessions("guest", 10)).containsExactly(kept);
        assertThat(store.debugSessions("other", 10)).isEmpty();
        assertThat(store.deleteDebugSessionsOpenedBefore(T0.plusSeconds(2).toEpochMilli())).isZero();
    }

    /** A failed activation of {@code f}, version 3, that started {@code second} seconds after T0. */
    protected static ReplayableFailure failure(String namespace, String label, int second) {
        Instant started = T0.plusSeconds(second);
        return new ReplayableFailure(namespace, id(label, started.toEpochMilli()), "f", 3, false,
                "{\"who\":\"" + label + "\",\"n\":[1,2.5,null],\"ü\":\"\\u0000\"}", started);
    }

    @Test
    void aFailedActivationsParametersAreFoundInItsNamespaceOnly() {
        ReplayableFailure ours = failure("guest", "ours", 1);
        ReplayableFailure inline = new ReplayableFailure("guest", id("inline", 2000), "g", 7, true, "{}", T0.plusMillis(2000));
        ReplayableFailure theirs = failure("other", "theirs", 3);
        store.putReplayableFailures(List.of(ours, inline, theirs), 10);
        assertThat(store.replayableFailure("guest", ours.activationId())).contains(ours);
        assertThat(store.replayableFailure("guest", inline.activationId())).contains(inline);
        assertThat(store.replayableFailure("other", theirs.activationId())).contains(theirs);
        assertThat(store.replayableFailure("other", ours.activationId())).isEmpty();
        assertThat(store.replayableFailure("guest", theirs.activationId())).isEmpty();
        assertThat(store.replayableFailure("guest", id("none", 1000))).isEmpty();
    }

    @Test
    void eachNamespaceKeepsOnlyItsLastFailedActivationsParameters() {
        store.putReplayableFailures(List.of(failure("guest", "a", 1), failure("other", "x", 2)), 2);
        store.putReplayableFailures(List.of(failure("guest", "c", 5), failure("guest", "b", 3)), 2);
        assertThat(store.replayableFailure("guest", failure("guest", "a", 1).activationId())).as("the oldest").isEmpty();
        assertThat(store.replayableFailure("guest", failure("guest", "b", 3).activationId())).isPresent();
        assertThat(store.replayableFailure("guest", failure("guest", "c", 5).activationId())).isPresent();
        store.putReplayableFailures(List.of(failure("guest", "d", 4)), 2);
        assertThat(store.replayableFailure("guest", failure("guest", "b", 3).activationId())).isEmpty();
        assertThat(store.replayableFailure("guest", failure("guest", "d", 4).activationId())).isPresent();
        assertThat(store.replayableFailure("other", failure("other", "x", 2).activationId()))
                .as("another namespace's, older than all").isPresent();
    }

    @Test
    void failedActivationsParametersThatStartedBeforeACutoffAreRemovedInEveryNamespace() {
        List<ReplayableFailure> failures = List.of(failure("guest", "old", 1), failure("other", "old", 2),
                failure("guest", "kept", 3));
        store.putReplayableFailures(failures, 10);
        assertThat(store.deleteReplayableFailuresStartedBefore(T0.plusSeconds(3).toEpochMilli())).isEqualTo(2);
        assertThat(failures.stream().map(f -> store.replayableFailure(f.namespace(), f.activationId())))
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(failures.get(2)));
        assertThat(store.deleteReplayableFailuresStartedBefore(T0.plusSeconds(3).toEpochMilli())).isZero();
    }

    protected static TriggerSpec everyMinute(String name) {
        Schedule schedule = new Schedule(Optional.of("0 * * * * *"), Optional.empty(), Optional.empty(),
                ZoneId.of("Europe/Paris"), Optional.of(T0), Optional.of(T0.plus(Duration.ofDays(1))), false,
                Schedule.Missed.SKIP, JsonNodeFactory.instance.objectNode().put("tick", true));
        return new TriggerSpec(name, JsonNodeFactory.instance.objectNode().put("region", "eu"),
                JsonNodeFactory.instance.objectNode().put("feed", "/whisk.system/alarms/alarm"), Optional.of(schedule));
    }

    @Test
    void aTriggerRoundTripsWithEveryFieldAndItsVersionRises() {
        Trigger first = store.putTrigger("guest", everyMinute("tick"), T0);
        assertThat(first.version()).isEqualTo(1);
        assertThat(store.trigger("guest", "tick")).contains(first);
        Schedule once = new Schedule(Optional.empty(), Optional.of(T0.plusSeconds(90)), Optional.empty(),
                ZoneId.of("UTC"), Optional.empty(), Optional.empty(), true, Schedule.Missed.ONCE, null);
        Schedule every = new Schedule(Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10)),
                ZoneId.of("UTC"), Optional.empty(), Optional.empty(), false, Schedule.Missed.ONCE, null);
        Trigger second = store.putTrigger("guest", TriggerSpec.of("tick").withSchedule(Optional.of(once)), T0.plusSeconds(1));
        assertThat(second.version()).isEqualTo(2);
        assertThat(store.trigger("guest", "tick").orElseThrow().spec().schedule()).contains(once);
        store.putTrigger("guest", TriggerSpec.of("tick").withSchedule(Optional.of(every)), T0.plusSeconds(2));
        assertThat(store.trigger("guest", "tick").orElseThrow().spec().schedule()).contains(every);
        store.putTrigger("guest", TriggerSpec.of("tick").withTopic(Optional.of("k8s_replicas")), T0.plusSeconds(3));
        assertThat(store.trigger("guest", "tick").orElseThrow().spec().topic()).contains("k8s_replicas");
        HttpRoute route = new HttpRoute("/rescale", Set.of("post", "PUT"), "rescale");
        store.putTrigger("guest", TriggerSpec.of("tick").withHttp(Optional.of(route)), T0.plusSeconds(3));
        assertThat(store.trigger("guest", "tick").orElseThrow().spec().http()).contains(route);
        store.putTrigger("guest", TriggerSpec.of("tick"), T0.plusSeconds(3));
        Trigger plain = store.trigger("guest", "tick").orElseThrow();
        assertThat(plain.spec().schedule()).isEmpty();
        assertThat(plain.spec().topic()).isEmpty();
        assertThat(plain.version()).isEqualTo(6);
        assertThat(plain.updated()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void triggersAreListedAcrossNamespacesAndDeletedWithTheirLastFire() {
        store.putTrigger("other", TriggerSpec.of("b"), T0);
        store.putTrigger("guest", TriggerSpec.of("b"), T0);
        store.putTrigger("guest", TriggerSpec.of("a"), T0);
        assertThat(store.triggers()).extracting(t -> t.namespace() + "/" + t.name())
                .containsExactly("guest/a", "guest/b", "other/b");
        store.putLastFire("guest", "a", T0.plusSeconds(60));
        assertThat(store.lastFire("guest", "a")).contains(T0.plusSeconds(60));
        assertThat(store.lastFire("other", "a")).isEmpty();
        assertThat(store.deleteTrigger("guest", "a")).map(Trigger::name).contains("a");
        assertThat(store.deleteTrigger("guest", "a")).isEmpty();
        store.putTrigger("guest", TriggerSpec.of("a"), T0);
        assertThat(store.lastFire("guest", "a")).as("a trigger created again starts afresh").isEmpty();
    }

    @Test
    void aLastFireIsReplacedAndKeptOnlyForATriggerThatExists() {
        store.putLastFire("guest", "nothing", T0);
        assertThat(store.lastFire("guest", "nothing")).isEmpty();
        store.putTrigger("guest", TriggerSpec.of("t"), T0);
        store.putLastFire("guest", "t", T0.plusSeconds(1));
        store.putLastFire("guest", "t", T0.plusSeconds(2));
        assertThat(store.lastFire("guest", "t")).contains(T0.plusSeconds(2));
        store.putTrigger("guest", TriggerSpec.of("t"), T0.plusSeconds(3));
        assertThat(store.lastFire("guest", "t")).as("a change keeps it").contains(T0.plusSeconds(2));
    }

    @Test
    void rulesRoundTripChangeStatusAndAreDeleted() {
        Rule rule = store.putRule("guest", new RuleSpec("r", "tick", "hello"), true, T0);
        assertThat(rule.version()).isEqualTo(1);
        assertThat(store.rule("guest", "r")).contains(rule);
        Rule chosen = store.putRule("guest", RuleSpec.selecting("s", "tick", LabelSelector.parse("tier in (web,db),!test")),
                true, T0);
        assertThat(store.rule("guest", "s")).contains(chosen);
        store.deleteRule("guest", "s");
        Rule off = store.putRule("guest", new RuleSpec("r", "tick", "hello"), false, T0.plusSeconds(1));
        assertThat(off.version()).isEqualTo(2);
        assertThat(store.rule("guest", "r").orElseThrow().active()).isFalse();
        store.putRule("other", new RuleSpec("a", "t", "f"), true, T0);
        store.putRule("guest", new RuleSpec("a", "t", "f"), true, T0);
        assertThat(store.rules()).extracting(r -> r.namespace() + "/" + r.name())
                .containsExactly("guest/a", "guest/r", "other/a");
        assertThat(store.deleteRule("guest", "r")).map(Rule::name).contains("r");
        assertThat(store.rule("guest", "r")).isEmpty();
        assertThat(store.deleteRule("guest", "r")).isEmpty();
    }

    @Test
    void deadLettersAreKeptListedNewestFirstAndRemoved() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("n", 1);
        TriggerFailure old = new TriggerFailure("a1", "guest", "t", "r", "hello", "e1", payload, 3, "boom", T0);
        TriggerFailure newer = new TriggerFailure("a2", "guest", "t", "r", "hello", "e2", payload, 1, "crashed",
                T0.plusSeconds(1));
        store.putFailure(old);
        store.putFailure(newer);
        store.putFailure(new TriggerFailure("a3", "guest", "other", "r", "hello", "e3", payload, 1, "x", T0));
        assertThat(store.failures("guest", "t")).containsExactly(newer, old);
        assertThat(store.deleteFailure("guest", "a1")).contains(old);
        assertThat(store.deleteFailure("guest", "a1")).isEmpty();
        assertThat(store.failures("guest", "t")).containsExactly(newer);
        assertThat(store.failures("other", "t")).isEmpty();
    }

    @Test
    void aRulesRetriesRoundTrip() {
        store.putRule("guest", new RuleSpec("r", "t", "hello").withRetries(3), true, T0);
        assertThat(store.rule("guest", "r").orElseThrow().spec().retries()).isEqualTo(3);
    }
}
