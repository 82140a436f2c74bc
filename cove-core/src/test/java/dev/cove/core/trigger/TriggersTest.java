package dev.cove.core.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.Admission;
import dev.cove.core.model.Code;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.HttpRoute;
import dev.cove.core.model.InvalidTriggerException;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.MissingException;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Schedule;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerFire;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriggersTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    /** What the platform was asked: each invocation, and each trigger activation recorded. */
    static final class Recorded implements Triggers.Firing {
        record Submitted(String causeId, String function, ObjectNode params) {}

        final List<Submitted> submitted = new CopyOnWriteArrayList<>();
        final List<ActivationRecord> records = new CopyOnWriteArrayList<>();
        /** Each admitted invocation's completion, which a test ends as it likes. */
        final List<CompletableFuture<Activation>> completions = new CopyOnWriteArrayList<>();
        /** When set, invocations are stored but never admitted: a store or function that is slow. */
        volatile boolean stuck;
        /** When set, every function refuses work, as one whose queue is full. */
        volatile boolean refusing;
        int ids;

        @Override
        public synchronized String newActivationId() {
            return String.format("%032x", ++ids);
        }

        @Override
        public CompletableFuture<Admission> submit(String causeId, FunctionRevision function, ObjectNode params) {
            if (refusing) {
                return CompletableFuture.completedFuture(new Admission.Rejected("queue full"));
            }
            submitted.add(new Submitted(causeId, function.name(), params));
            CompletableFuture<Activation> completion = new CompletableFuture<>();
            completions.add(completion);
            return stuck ? new CompletableFuture<>() : CompletableFuture.completedFuture(
                    new Admission.Accepted("run-" + submitted.size(), completion, true));
        }

        @Override
        public void record(ActivationRecord record) {
            records.add(record);
        }
    }

    final ManualTime time = new ManualTime(T0);
    final Store store = Registry.memoryStore();
    final Registry registry = Registry.load(store, time);
    final Recorded firing = new Recorded();
    Triggers triggers;

    @BeforeEach
    void start() {
        registry.deploy("guest", FunctionSpec.of("hello", Kind.NODEJS, Code.source("function main(p) { return p; }"), "main"));
        triggers = start(store);
    }

    Triggers start(Store on) {
        return Triggers.start(on, registry, firing, time, time, Runnable::run);
    }

    @AfterEach
    void stop() {
        triggers.close();
    }

    static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    /** What a function is given, without the event that fired it. */
    static ObjectNode payload(ObjectNode params) {
        ObjectNode copy = params.deepCopy();
        copy.remove(FunctionCalls.FIRED_BY);
        return copy;
    }

    static TriggerSpec scheduled(String name, Schedule schedule) {
        return TriggerSpec.of(name).withSchedule(Optional.of(schedule));
    }

    static Schedule cron(String expression, Schedule.Missed missed) {
        return new Schedule(Optional.of(expression), Optional.empty(), Optional.empty(), ZoneId.of("UTC"),
                Optional.empty(), Optional.empty(), false, missed, JsonNodeFactory.instance.objectNode().put("tick", 1));
    }

    @Test
    void aFireInvokesEachActiveRulesFunctionWithTheParametersUnderThePayload() throws Exception {
        triggers.put("guest", new TriggerSpec("t", object("{\"a\":1,\"b\":1}"), null, Optional.empty()), false);
        triggers.putRule("guest", new RuleSpec("on", "t", "hello"), false);
        triggers.putRule("guest", new RuleSpec("off", "t", "hello"), false);
        triggers.setActive("guest", "off", false);

        TriggerFire fire = triggers.fire("guest", "t", object("{\"b\":2}")).join();

        assertThat(fire).isInstanceOf(TriggerFire.Fired.class);
        String id = ((TriggerFire.Fired) fire).activationId();
        assertThat(firing.submitted).hasSize(1);
        Recorded.Submitted submitted = firing.submitted.get(0);
        assertThat(submitted.causeId()).isEqualTo(id);
        assertThat(submitted.function()).isEqualTo("hello");
        assertThat(payload(submitted.params())).isEqualTo(object("{\"a\":1,\"b\":2}"));
        assertThat(submitted.params().path(FunctionCalls.FIRED_BY).path("id").asText())
                .as("the event that fired it is the trigger's activation").isEqualTo(id);
        assertThat(firing.records).hasSize(1);
        JsonNode doc = JSON.readTree(firing.records.get(0).json());
        assertThat(doc.path("name").asText()).isEqualTo("t");
        assertThat(doc.path("activationId").asText()).isEqualTo(id);
        assertThat(doc.path("response").path("result")).as("what it was fired with").isEqualTo(object("{\"b\":2}"));
        assertThat(doc.path("logs")).hasSize(1);
        assertThat(JSON.readTree(doc.path("logs").get(0).asText())).isEqualTo(object(
                "{\"rule\":\"guest/on\",\"action\":\"guest/hello\",\"statusCode\":0,\"success\":true,\"activationId\":\"run-1\"}"));
    }

    @Test
    void aTriggerWithoutAnActiveRuleRunsAndRecordsNothing() {
        triggers.put("guest", TriggerSpec.of("t"), false);
        assertThat(triggers.fire("guest", "t", JsonNodeFactory.instance.objectNode()).join())
                .isInstanceOf(TriggerFire.NoActiveRule.class);
        assertThat(triggers.fire("guest", "nope", JsonNodeFactory.instance.objectNode()).join())
                .isInstanceOf(TriggerFire.NoSuchTrigger.class);
        assertThat(firing.submitted).isEmpty();
        assertThat(firing.records).isEmpty();
    }

    @Test
    void aRuleWhoseFunctionWentAwaySaysSoInTheTriggersActivation() throws Exception {
        triggers.put("guest", TriggerSpec.of("t"), false);
        triggers.putRule("guest", new RuleSpec("r", "t", "hello"), false);
        registry.delete("guest", "hello");
        triggers.fire("guest", "t", JsonNodeFactory.instance.objectNode()).join();
        JsonNode line = JSON.readTree(JSON.readTree(firing.records.get(0).json()).path("logs").get(0).asText());
        assertThat(line.path("success").asBoolean()).isFalse();
        assertThat(line.path("error").asText()).isEqualTo("The function hello does not exist.");
    }

    @Test
    void rulesAndTriggersAreCheckedAsOpenWhiskChecksThem() {
        triggers.put("guest", TriggerSpec.of("t"), false);
        assertThatThrownBy(() -> triggers.put("guest", TriggerSpec.of("t"), false)).isInstanceOf(ConflictException.class);
        assertThat(triggers.put("guest", TriggerSpec.of("t"), true).version()).isEqualTo(2);
        assertThatThrownBy(() -> triggers.putRule("guest", new RuleSpec("r", "nope", "hello"), false))
                .isInstanceOf(MissingException.class).hasMessage("The trigger nope does not exist.");
        assertThatThrownBy(() -> triggers.putRule("guest", new RuleSpec("r", "t", "nope"), false))
                .isInstanceOf(MissingException.class).hasMessage("The function nope does not exist.");
        triggers.putRule("guest", new RuleSpec("r", "t", "hello"), false);
        assertThatThrownBy(() -> triggers.putRule("guest", new RuleSpec("r", "t", "hello"), false))
                .isInstanceOf(ConflictException.class);
        triggers.setActive("guest", "r", false);
        assertThat(triggers.putRule("guest", new RuleSpec("r", "t", "hello"), true).active())
                .as("a change keeps its status").isFalse();
        assertThatThrownBy(() -> triggers.put("guest", scheduled("c", cron("61 * * * *", Schedule.Missed.ONCE)), false))
                .isInstanceOf(InvalidTriggerException.class).hasMessageContaining("'61 * * * *' is not valid");
        assertThat(triggers.trigger("guest", "c")).isEmpty();
    }

    @Test
    void aCronTriggerFiresAtEachDueTimeOnceWithItsPayload() throws Exception {
        triggers.put("guest", scheduled("tick", cron("* * * * *", Schedule.Missed.ONCE)), false);
        triggers.putRule("guest", new RuleSpec("r", "tick", "hello"), false);
        assertThat(triggers.nextFire("guest", "tick")).contains(T0.plusSeconds(60));

        time.advance(Duration.ofMinutes(5).plusSeconds(30));

        assertThat(firing.submitted).hasSize(5).allSatisfy(s -> assertThat(payload(s.params())).isEqualTo(object("{\"tick\":1}")));
        assertThat(firing.records).extracting(ActivationRecord::startMillis).containsExactly(
                T0.plusSeconds(60).toEpochMilli(), T0.plusSeconds(120).toEpochMilli(), T0.plusSeconds(180).toEpochMilli(),
                T0.plusSeconds(240).toEpochMilli(), T0.plusSeconds(300).toEpochMilli());
        assertThat(store.lastFire("guest", "tick")).contains(T0.plusSeconds(300));
        assertThat(time.pending()).as("one alarm armed, never two").isEqualTo(1);
    }

    @Test
    void aThousandFiresOfAnEverySecondCronNeverDoubleThroughEditsAndRestarts() {
        triggers.put("guest", scheduled("tick", cron("* * * * * *", Schedule.Missed.ONCE)), false);
        triggers.putRule("guest", new RuleSpec("r", "tick", "hello"), false);
        Random steps = new Random(20);
        Instant end = T0.plusSeconds(1000);
        int round = 0;
        while (time.instant().isBefore(end)) {
            Duration step = Duration.ofMillis(1 + steps.nextInt(1700));
            time.advance(time.instant().plus(step).isAfter(end) ? Duration.between(time.instant(), end) : step);
            switch (++round % 50) {
                case 10 -> triggers.put("guest", scheduled("tick", cron("* * * * * *", Schedule.Missed.ONCE)), true);
                case 30 -> {
                    triggers.close();
                    triggers = start(store);
                }
                default -> { }
            }
        }
        List<Long> starts = firing.records.stream().map(ActivationRecord::startMillis).toList();
        assertThat(starts).as("one fire a second, each second once").hasSize(1000).doesNotHaveDuplicates()
                .isSorted().allSatisfy(ms -> assertThat(ms % 1000).isZero());
        assertThat(starts.get(999)).isEqualTo(end.toEpochMilli());
        assertThat(firing.submitted).hasSize(1000);
    }

    @Test
    void aFireNeverWaitsForItsFunctions() {
        firing.stuck = true;
        triggers.put("guest", scheduled("tick", cron("* * * * *", Schedule.Missed.ONCE)), false);
        triggers.putRule("guest", new RuleSpec("r", "tick", "hello"), false);
        time.advance(Duration.ofMinutes(3));
        assertThat(firing.submitted).as("each minute's fire, though none was admitted").hasSize(3);
        assertThat(triggers.nextFire("guest", "tick")).contains(T0.plusSeconds(240));
    }

    @Test
    void changingATriggerRearmsItAtOnceAndDeletingItDisarmsIt() {
        triggers.put("guest", scheduled("tick", cron("*/10 * * * *", Schedule.Missed.ONCE)), false);
        triggers.putRule("guest", new RuleSpec("r", "tick", "hello"), false);
        time.advance(Duration.ofMinutes(3));
        triggers.put("guest", scheduled("tick", cron("* * * * *", Schedule.Missed.ONCE)), true);
        assertThat(triggers.nextFire("guest", "tick")).contains(T0.plusSeconds(240));
        time.advance(Duration.ofMinutes(1));
        assertThat(firing.submitted).hasSize(1);
        assertThat(time.pending()).isEqualTo(1);

        triggers.put("guest", TriggerSpec.of("tick"), true);
        assertThat(time.pending()).as("no schedule, no alarm").isZero();
        triggers.put("guest", scheduled("tick", cron("* * * * *", Schedule.Missed.ONCE)), true);
        triggers.delete("guest", "tick");
        assertThat(time.pending()).isZero();
        time.advance(Duration.ofMinutes(10));
        assertThat(firing.submitted).hasSize(1);
    }

    @Test
    void aStartFiresOnceWhatCameDueWhileTheServerWasDownUnlessTheScheduleSkipsIt() {
        triggers.put("guest", scheduled("once", cron("* * * * *", Schedule.Missed.ONCE)), false);
        triggers.put("guest", scheduled("skip", cron("* * * * *", Schedule.Missed.SKIP)), false);
        triggers.putRule("guest", new RuleSpec("r1", "once", "hello"), false);
        triggers.putRule("guest", new RuleSpec("r2", "skip", "hello"), false);
        time.advance(Duration.ofMinutes(2));
        assertThat(firing.submitted).hasSize(4);
        triggers.close(); // the server stops for ten minutes
        time.advance(Duration.ofMinutes(10).plusSeconds(30));
        assertThat(firing.submitted).hasSize(4);

        triggers = start(store);
        time.advance(Duration.ZERO);
        assertThat(firing.records).extracting(ActivationRecord::name).containsExactly(
                "once", "skip", "once", "skip", "once");
        assertThat(firing.records.get(4).startMillis()).isEqualTo(T0.plus(Duration.ofMinutes(12).plusSeconds(30)).toEpochMilli());
        assertThat(store.lastFire("guest", "once")).contains(T0.plus(Duration.ofMinutes(12)));
        time.advance(Duration.ofSeconds(30));
        assertThat(firing.records.subList(5, firing.records.size())).extracting(ActivationRecord::name)
                .containsExactlyInAnyOrder("once", "skip");
        assertThat(firing.submitted).hasSize(7);
    }

    @Test
    void aTriggerThatFiresOnceCanDeleteItselfAndItsRules() {
        Schedule once = new Schedule(Optional.empty(), Optional.of(T0.plusSeconds(90)), Optional.empty(),
                ZoneId.of("UTC"), Optional.empty(), Optional.empty(), true, Schedule.Missed.ONCE, null);
        triggers.put("guest", scheduled("later", once), false);
        triggers.putRule("guest", new RuleSpec("r", "later", "hello"), false);
        time.advance(Duration.ofMinutes(5));
        assertThat(firing.submitted).hasSize(1);
        assertThat(triggers.trigger("guest", "later")).isEmpty();
        assertThat(triggers.rules("guest")).isEmpty();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aSelectorRuleInvokesEveryFunctionItMatchesAtFireTime() throws Exception {
        triggers.put("guest", TriggerSpec.of("t"), false);
        triggers.putRule("guest", RuleSpec.selecting("r", "t", LabelSelector.parse("created-by=cove,function in (down,up)")), false);
        triggers.fire("guest", "t", JsonNodeFactory.instance.objectNode()).join();
        JsonNode none = JSON.readTree(JSON.readTree(firing.records.get(0).json()).path("logs").get(0).asText());
        assertThat(none.path("error").asText()).isEqualTo("The selector 'created-by=cove,function in (down,up)' matches no function.");

        FunctionSpec labelled = FunctionSpec.of("down", Kind.NODEJS, Code.source("function main(p) { return p; }"), "main")
                .withLabels(Map.of("created-by", "cove", "function", "down"));
        registry.deploy("guest", labelled);
        registry.deploy("guest", labelled.withLabels(Map.of("created-by", "cove", "function", "up")).withName("up"));
        registry.deploy("guest", labelled.withLabels(Map.of("created-by", "other", "function", "up")).withName("other"));
        triggers.fire("guest", "t", JsonNodeFactory.instance.objectNode()).join();
        assertThat(firing.submitted).extracting(Recorded.Submitted::function).containsExactly("down", "up");
        JsonNode logs = JSON.readTree(firing.records.get(1).json()).path("logs");
        assertThat(logs).hasSize(2);
        assertThat(JSON.readTree(logs.get(1).asText()).path("action").asText()).isEqualTo("guest/up");
    }

    @Test
    void anHttpTriggersPathIsOneTriggersAcrossNamespaces() {
        HttpRoute route = new HttpRoute("/rescale", Set.of("POST"), "hello");
        triggers.put("guest", TriggerSpec.of("rescale").withHttp(Optional.of(route)), false);
        assertThat(triggers.httpTrigger("/rescale")).map(t -> t.name()).contains("rescale");
        assertThatThrownBy(() -> triggers.put("other", TriggerSpec.of("mine").withHttp(Optional.of(route)), false))
                .isInstanceOf(ConflictException.class).hasMessage("The path /rescale is the trigger rescale's already.");
        triggers.put("guest", TriggerSpec.of("rescale").withHttp(Optional.of(new HttpRoute("/up", Set.of(), "hello"))), true);
        assertThat(triggers.httpTrigger("/rescale")).isEmpty();
        assertThat(triggers.httpTrigger("/up")).isPresent();
        triggers.close();
        triggers = start(store);
        assertThat(triggers.httpTrigger("/up")).as("after a restart").isPresent();
        triggers.delete("guest", "rescale");
        assertThat(triggers.httpTrigger("/up")).isEmpty();
        assertThatThrownBy(() -> new HttpRoute("/api/v1/x", Set.of(), "hello")).hasMessageContaining("under /api");
        assertThatThrownBy(() -> new HttpRoute("/x", Set.of("TRACE"), "hello")).hasMessageContaining("'TRACE'");
    }

    /** An activation of the function that ended as the status says, with the result given. */
    Activation ended(ActivationStatus status, String result) throws Exception {
        return new Activation("0".repeat(32), registry.function("guest", "hello").orElseThrow(), T0, T0, status,
                JsonValue.of(JSON.readTree(result)), List.of(), Optional.empty(), Duration.ZERO, Optional.empty(),
                Optional.empty());
    }

    @Test
    void aRuleWithRetriesStartsAFailedActivationAgainWithBackoffThenKeepsItAsADeadLetter() throws Exception {
        triggers.put("guest", TriggerSpec.of("t"), false);
        triggers.putRule("guest", new RuleSpec("r", "t", "hello").withRetries(2), false);
        TriggerFire.Fired fired = (TriggerFire.Fired) triggers.fire("guest", "t", object("{\"n\":1}")).join();

        firing.completions.get(0).complete(ended(ActivationStatus.APPLICATION_ERROR, "{\"error\":\"boom\"}"));
        time.advance(Duration.ofMillis(999));
        assertThat(firing.submitted).as("not before its backoff").hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(firing.submitted).hasSize(2);
        assertThat(firing.submitted.get(1).causeId()).isEqualTo(fired.activationId());
        firing.completions.get(1).complete(ended(ActivationStatus.DEVELOPER_ERROR, "{\"error\":\"crashed\"}"));
        time.advance(Duration.ofSeconds(2));
        assertThat(firing.submitted).hasSize(3);
        firing.completions.get(2).complete(ended(ActivationStatus.APPLICATION_ERROR, "{\"error\":\"still boom\"}"));
        time.advance(Duration.ofMinutes(5));
        assertThat(firing.submitted).as("two retries, no more").hasSize(3);

        List<TriggerFailure> failures = triggers.failures("guest", "t");
        assertThat(failures).hasSize(1);
        TriggerFailure failure = failures.get(0);
        assertThat(failure.id()).isEqualTo("run-3");
        assertThat(failure.attempts()).isEqualTo(3);
        assertThat(failure.error()).isEqualTo("still boom");
        assertThat(failure.eventId()).isEqualTo(fired.activationId());
        assertThat(failure.payload()).isEqualTo(object("{\"n\":1}"));

        Admission again = triggers.redeliver("guest", "t", "run-3").join();
        assertThat(((Admission.Accepted) again).activationId()).isEqualTo("run-4");
        assertThat(payload(firing.submitted.get(3).params())).isEqualTo(object("{\"n\":1}"));
        assertThat(triggers.failures("guest", "t")).isEmpty();
        firing.completions.get(3).complete(ended(ActivationStatus.SUCCESS, "{}"));
        time.advance(Duration.ofMinutes(5));
        assertThat(firing.submitted).as("a success ends it").hasSize(4);
        assertThatThrownBy(() -> triggers.redeliver("guest", "t", "run-3")).isInstanceOf(MissingException.class);
    }

    @Test
    void aRuleWithoutRetriesKeepsNoDeadLetter() throws Exception {
        triggers.put("guest", TriggerSpec.of("t"), false);
        triggers.putRule("guest", new RuleSpec("r", "t", "hello"), false);
        triggers.fire("guest", "t", object("{}")).join();
        firing.completions.get(0).complete(ended(ActivationStatus.APPLICATION_ERROR, "{\"error\":\"boom\"}"));
        time.advance(Duration.ofMinutes(5));
        assertThat(firing.submitted).hasSize(1);
        assertThat(triggers.failures("guest", "t")).isEmpty();
    }

    /** A durable bus that keeps what is published and hands a test the subscriber's handler. */
    static final class HeldBus implements MessageBus {
        final List<Delivery> published = new CopyOnWriteArrayList<>();
        volatile Handler handler;
        volatile String subscribed;
        volatile boolean closed;

        @Override
        public CompletableFuture<Boolean> publish(String topic, String id, byte[] message) {
            published.add(new Delivery(topic, id, message));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public Subscription subscribe(String topic, Handler given) {
            throw new UnsupportedOperationException("triggers subscribe in a queue group");
        }

        @Override
        public Subscription subscribe(String topic, String group, Handler given) {
            subscribed = topic + " " + group;
            handler = given;
            return () -> handler = null;
        }

        @Override
        public boolean durable() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void onADurableBusAPublishIsQueuedAndAMessageIsHandledOnceItsFiresAreStoredWhole() throws Exception {
        HeldBus bus = new HeldBus();
        triggers.put("guest", TriggerSpec.of("replicas").withTopic(Optional.of("k8s.replicas")), false);
        triggers.putRule("guest", new RuleSpec("scale", "replicas", "hello"), false);
        triggers.carryTopicsOn(bus);
        assertThat(bus.subscribed).isEqualTo("topics.> cove-triggers");

        var answer = triggers.publish("guest", "k8s.replicas", object("{\"name\": \"web\"}"), "e-1").join();
        assertThat(answer.queued()).isTrue();
        assertThat(answer.fired()).isEmpty();
        assertThat(firing.submitted).as("nothing fires before the bus hands the message back").isEmpty();
        MessageBus.Delivery delivery = bus.published.get(0);
        assertThat(delivery.topic()).isEqualTo("topics.guest.k8s%replicas");
        assertThat(delivery.id()).isEqualTo("e-1");

        firing.refusing = true;
        assertThat(bus.handler.handle(delivery).toCompletableFuture())
                .as("its function refused work: the bus is to deliver it again").isCompletedExceptionally();
        firing.refusing = false;
        bus.handler.handle(delivery).toCompletableFuture().join();
        assertThat(firing.submitted).hasSize(1);
        assertThat(payload(firing.submitted.get(0).params())).isEqualTo(object("{\"name\": \"web\"}"));
        bus.handler.handle(delivery).toCompletableFuture().join();
        assertThat(firing.submitted).as("the same event again fires nothing").hasSize(1);

        bus.handler.handle(new MessageBus.Delivery("topics.guest.k8s%replicas", "e-2", "[1, 2]".getBytes())).toCompletableFuture()
                .join();
        assertThat(payload(firing.submitted.get(1).params())).as("a body not an object is its data")
                .isEqualTo(object("{\"data\": [1, 2]}"));
        triggers.close();
        assertThat(bus.closed).isTrue();
        assertThat(bus.handler).isNull();
    }
}
