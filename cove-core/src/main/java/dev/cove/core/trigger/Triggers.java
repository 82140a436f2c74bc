package dev.cove.core.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Admission;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InvalidTriggerException;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Messages;
import dev.cove.core.model.MissingException;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Schedule;
import dev.cove.core.model.TopicMessage;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerFire;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.model.UnavailableException;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.TriggerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers and rules, as OpenWhisk has them: a fire of a trigger invokes, without waiting, the function
 * of each of its active rules, with the trigger's parameters under the fire's own, and is recorded as an
 * activation of the trigger whose logs name each rule's activation. A trigger with a {@link Schedule}
 * also fires by itself ({@link Alarms}).
 *
 * <p>The store holds every trigger and rule, and this object their copies, written through: a change is
 * seen by the next fire, which reads no store. Changes are serialised on this object; fires are not, and
 * read the rules as they are when they run. A fire answers once each rule's invocation is in the store (durable, as every invocation nobody
 * waits for), never after the functions run: a slow function can't hold up a trigger.
 *
 * <p>Topics' messages fire their triggers in this process, before the publisher hears back, unless they
 * are {@linkplain #carryTopicsOn carried on a durable bus}: then a publish answers once the bus stored
 * the message, and a node of the bus's queue group fires it and acknowledges it once the fires are
 * stored.
 */
public final class Triggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);
    /** How long, and how many, event ids are remembered to drop a message published twice. */
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);
    static final int MAX_REMEMBERED_EVENTS = 100_000;
    /** A failed activation of a rule with retries starts again after this, doubling each time up to a minute. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** The bus topic of a namespace's topic is this, the namespace, '.', the topic, each with '%' for '.'. */
    static final String BUS_TOPICS = "topics.";
    /** The queue group of the nodes that fire topics' messages: on a durable bus, each message is one node's. */
    static final String BUS_GROUP = "cove-triggers";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a fire needs of the rest of the platform. */
    public interface Firing {
        /** A new activation id, as every activation has. */
        String newActivationId();

        /** Submits an invocation nobody waits for, caused by the trigger's activation {@code causeId}. */
        CompletableFuture<Admission> submit(String causeId, FunctionRevision function, ObjectNode params);

        /** Records the trigger's own activation. */
        void record(ActivationRecord record);
    }

    private final TriggerStore store;
    private final Registry registry;
    private final Firing firing;
    private final Clock clock;
    private final Alarms alarms;
    private final Deadlines timer;
    private final Executor ringer;
    /**
     * The stored triggers and rules, by namespace and name: the store is written through and read only at
     * start, so a fire reads no store (this object is the store's only writer of triggers and rules).
     */
    private final Map<String, Trigger> triggers = new ConcurrentSkipListMap<>();
    private final Map<String, Rule> rules = new ConcurrentSkipListMap<>();
    /** The HTTP triggers by path, across namespaces: a path is one trigger's. */
    private final Map<String, Trigger> routes = new ConcurrentHashMap<>();
    /** Event ids published lately, by namespace and topic: a message published again is not delivered again. */
    private final Cache<String, Boolean> published = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED_EVENTS).expireAfterWrite(REMEMBERED_FOR).build();
    /** The durable bus topics' messages go through, once {@link #carryTopicsOn} named one. */
    private volatile MessageBus bus;
    private volatile MessageBus.Subscription relay;

    private Triggers(TriggerStore store, Registry registry, Firing firing, Clock clock, Deadlines timer,
            Executor ringer) {
        this.store = store;
        this.registry = registry;
        this.firing = firing;
        this.clock = clock;
        this.alarms = new Alarms(store, clock, timer, ringer, this::fireScheduled);
        this.timer = timer;
        this.ringer = ringer;
    }

    /**
     * Arms every stored schedule, first firing once each that came due while the server was down (or
     * skipping them, as the schedule says).
     */
    public static Triggers start(TriggerStore store, Registry registry, Firing firing, Clock clock, Deadlines timer) {
        return start(store, registry, firing, clock, timer, task -> Thread.ofVirtual().name("cove-alarm").start(task));
    }

    /** As {@link #start}, an alarm's fire run by {@code ringer}. */
    static Triggers start(TriggerStore store, Registry registry, Firing firing, Clock clock, Deadlines timer,
            Executor ringer) {
        Triggers triggers = new Triggers(store, registry, firing, clock, timer, ringer);
        store.rules().forEach(rule -> triggers.rules.put(key(rule.namespace(), rule.name()), rule));
        for (Trigger trigger : store.triggers()) {
            triggers.triggers.put(key(trigger.namespace(), trigger.name()), trigger);
            if (trigger.spec().schedule().isPresent()) {
                triggers.alarms.recover(trigger);
            }
            trigger.spec().http().ifPresent(route -> triggers.routes.put(route.path(), trigger));
        }
        return triggers;
    }

    /**
     * Stores the trigger, a new one or, with {@code overwrite}, a new version, and arms its schedule at
     * once.
     *
     * @throws InvalidTriggerException when its cron expression does not parse
     * @throws ConflictException when it exists and {@code overwrite} is false
     */
    public synchronized Trigger put(String namespace, TriggerSpec spec, boolean overwrite) {
        spec.schedule().ifPresent(Triggers::check);
        if (!overwrite && trigger(namespace, spec.name()).isPresent()) {
            throw new ConflictException(Messages.triggerExists(spec.name()));
        }
        spec.http().map(route -> routes.get(route.path()))
                .filter(holder -> !holder.namespace().equals(namespace) || !holder.name().equals(spec.name()))
                .ifPresent(holder -> {
                    throw new ConflictException(Messages.routeTaken(spec.http().get().path(), holder.name()));
                });
        Trigger trigger = store.putTrigger(namespace, spec, clock.instant());
        triggers.put(key(namespace, spec.name()), trigger);
        routes.values().removeIf(t -> t.namespace().equals(namespace) && t.name().equals(spec.name()));
        spec.http().ifPresent(route -> routes.put(route.path(), trigger));
        alarms.arm(trigger);
        return trigger;
    }

    private static void check(Schedule schedule) {
        try {
            Due.of(schedule, Instant.EPOCH);
        } catch (IllegalArgumentException e) {
            throw new InvalidTriggerException(e.getMessage());
        }
    }

    public Optional<Trigger> trigger(String namespace, String name) {
        return Optional.ofNullable(triggers.get(key(namespace, name)));
    }

    /** The namespace's triggers, by name. */
    public List<Trigger> triggers(String namespace) {
        return triggers.values().stream().filter(t -> t.namespace().equals(namespace)).toList();
    }

    /** The HTTP trigger at the path, whichever its namespace, if there is one. */
    public Optional<Trigger> httpTrigger(String path) {
        return Optional.ofNullable(routes.get(path));
    }

    /** When the trigger's schedule fires next, if it has one that will. */
    public Optional<Instant> nextFire(String namespace, String name) {
        return alarms.next(namespace, name);
    }

    /** Deletes the trigger and disarms its schedule; its rules stay, and fire nothing until it is back. */
    public synchronized Optional<Trigger> delete(String namespace, String name) {
        alarms.disarm(namespace, name);
        routes.values().removeIf(t -> t.namespace().equals(namespace) && t.name().equals(name));
        triggers.remove(key(namespace, name));
        return store.deleteTrigger(namespace, name);
    }

    /**
     * Stores the rule: a new one, active, or with {@code overwrite} a new version of it, as active as it was.
     *
     * @throws MissingException when its trigger or its one function does not exist (a selector may match
     *     nothing yet)
     * @throws ConflictException when it exists and {@code overwrite} is false
     */
    public synchronized Rule putRule(String namespace, RuleSpec spec, boolean overwrite) {
        if (trigger(namespace, spec.trigger()).isEmpty()) {
            throw new MissingException(Messages.triggerMissing(spec.trigger()));
        }
        if (spec.selector().isEmpty() && registry.function(namespace, spec.function()).isEmpty()) {
            throw new MissingException(Messages.functionMissing(spec.function()));
        }
        if (!overwrite && rule(namespace, spec.name()).isPresent()) {
            throw new ConflictException(Messages.ruleExists(spec.name()));
        }
        boolean active = rule(namespace, spec.name()).map(Rule::active).orElse(true); // a change keeps it
        return storeRule(namespace, spec, active);
    }

    private Rule storeRule(String namespace, RuleSpec spec, boolean active) {
        Rule rule = store.putRule(namespace, spec, active, clock.instant());
        rules.put(key(namespace, spec.name()), rule);
        return rule;
    }

    /** Activates or deactivates the rule; a rule already so is left as it is. */
    public synchronized Optional<Rule> setActive(String namespace, String name, boolean active) {
        return rule(namespace, name).map(rule -> rule.active() == active ? rule
                : storeRule(namespace, rule.spec(), active));
    }

    public Optional<Rule> rule(String namespace, String name) {
        return Optional.ofNullable(rules.get(key(namespace, name)));
    }

    /** The namespace's rules, by name. */
    public List<Rule> rules(String namespace) {
        return rules.values().stream().filter(r -> r.namespace().equals(namespace)).toList();
    }

    /** The namespace's rules that name the trigger, active or not, by name. */
    public List<Rule> rulesOf(String namespace, String trigger) {
        return rules(namespace).stream().filter(r -> r.spec().trigger().equals(trigger)).toList();
    }

    public synchronized Optional<Rule> deleteRule(String namespace, String name) {
        rules.remove(key(namespace, name));
        return store.deleteRule(namespace, name);
    }

    /**
     * Fires the trigger with the payload: its active rules' functions are invoked with the trigger's
     * parameters overlaid by the payload's fields. Completes once each invocation is stored and admitted.
     */
    public CompletableFuture<TriggerFire> fire(String namespace, String name, ObjectNode payload) {
        Optional<Trigger> trigger = trigger(namespace, name);
        if (trigger.isEmpty()) {
            return CompletableFuture.completedFuture(new TriggerFire.NoSuchTrigger());
        }
        List<Rule> active = rulesOf(namespace, name).stream().filter(Rule::active).toList();
        if (active.isEmpty()) {
            return CompletableFuture.completedFuture(new TriggerFire.NoActiveRule());
        }
        ObjectNode params = trigger.get().spec().parameters();
        params.setAll(payload);
        String id = firing.newActivationId();
        if (!params.path(FunctionCalls.FIRED_BY).isObject()) {
            params.putObject(FunctionCalls.FIRED_BY).put("id", id).put("type", "application/json")
                    .put("time", clock.instant().toString());
        }
        TriggerActivation activation = new TriggerActivation(trigger.get(), id, payload, clock.millis());
        List<CompletableFuture<ObjectNode>> outcomes = new ArrayList<>();
        for (Rule rule : active) {
            outcomes.addAll(invoke(activation, rule, params));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ObjectNode> rules = outcomes.stream().map(CompletableFuture::join).toList();
            firing.record(activation.record(rules, clock.millis()));
            return new TriggerFire.Fired(activation.id(), rules);
        });
    }

    /**
     * Publishes a message on a topic of the namespace: each trigger of the namespace that subscribes to it
     * fires with the message. A message whose event id was published on the topic lately is dropped
     * (delivered at least once, and once only within {@link #REMEMBERED_FOR}). In this process, completes
     * once every fire's invocations are stored, so an answered publish loses nothing in a crash; on a
     * durable bus, once the bus stored the message, which fires later ({@link TopicMessage#queued()}).
     *
     * @param eventId the publisher's id of the message, or one it was given
     */
    public CompletableFuture<TopicMessage> publish(String namespace, String topic, ObjectNode message, String eventId) {
        MessageBus carrier = bus;
        if (carrier == null) {
            return deliver(namespace, topic, message, eventId, false);
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return carrier.publish(busTopic(namespace, topic), eventId, body)
                .<TopicMessage>thenApply(taken -> TopicMessage.queued(eventId, !taken))
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new UnavailableException(
                        (failure.getCause() == null ? failure : failure.getCause()).getMessage(), failure)));
    }

    /**
     * From now on, topics' messages go through {@code bus}, durable, and this node fires those its queue
     * group hands it; the bus is this object's, closed when it closes.
     */
    public synchronized void carryTopicsOn(MessageBus bus) {
        if (!bus.durable()) {
            throw new IllegalArgumentException("topics' messages go through a durable bus, or none");
        }
        this.relay = bus.subscribe(BUS_TOPICS + ">", BUS_GROUP, this::arrived);
        this.bus = bus;
    }

    /** Fires a message the bus handed this node; the bus hears it was handled once the fires are stored. */
    private CompletableFuture<TopicMessage> arrived(MessageBus.Delivery delivery) {
        String[] words = delivery.topic().substring(BUS_TOPICS.length()).split("\\.", -1);
        if (words.length != 2 || words[0].isEmpty() || words[1].isEmpty()) {
            LOG.warn("a message on bus topic {} names no namespace and topic ({}namespace.topic): dropped",
                    delivery.topic(), BUS_TOPICS);
            return CompletableFuture.completedFuture(null);
        }
        return deliver(words[0].replace('%', '.'), words[1].replace('%', '.'), object(delivery.body()), delivery.id(),
                true);
    }

    /** The bus topic a namespace's topic goes on: names hold no '%', so '.' becomes '%' and back. */
    static String busTopic(String namespace, String topic) {
        return BUS_TOPICS + namespace.replace('.', '%') + "." + topic.replace('.', '%');
    }

    /** A message from the bus as a JSON object: one that is something else is its {@code data}. */
    private static ObjectNode object(byte[] body) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("data", new String(body, StandardCharsets.UTF_8));
        }
        if (parsed instanceof ObjectNode object) {
            return object;
        }
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.set("data", parsed == null ? JSON.nullNode() : parsed);
        return wrapped;
    }

    /**
     * Fires each trigger of the namespace on the topic, once per event id; completes once the fires are
     * stored. With {@code whole}, a fire of which a function refused work just now (its queue full) fails,
     * so that the bus delivers the message again later, and fires every rule of it again.
     */
    private CompletableFuture<TopicMessage> deliver(String namespace, String topic, ObjectNode message, String eventId,
            boolean whole) {
        String key = namespace + "\n" + topic + "\n" + eventId;
        if (published.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return CompletableFuture.completedFuture(new TopicMessage(eventId, List.of(), true, false));
        }
        ObjectNode payload = message.deepCopy();
        payload.putObject(FunctionCalls.FIRED_BY).put("id", eventId).put("type", "application/json")
                .put("time", clock.instant().toString()).put("topic", topic);
        List<CompletableFuture<TriggerFire>> fires = triggers(namespace).stream()
                .filter(t -> t.spec().topic().filter(topic::equals).isPresent())
                .map(t -> fire(namespace, t.name(), payload)).toList();
        return CompletableFuture.allOf(fires.toArray(CompletableFuture[]::new)).handle((done, failure) -> {
            List<TriggerFire.Fired> fired = failure != null ? List.of() : fires.stream().map(CompletableFuture::join)
                    .filter(TriggerFire.Fired.class::isInstance).map(TriggerFire.Fired.class::cast).toList();
            boolean refused = fired.stream().flatMap(f -> f.rules().stream())
                    .anyMatch(line -> line.path(TriggerActivation.REFUSED).asBoolean());
            if (failure != null || (whole && refused)) {
                published.invalidate(key); // not fired whole: the same message again may be
                throw failure == null ? new UnavailableException(Messages.topicFunctionRefused(topic), null)
                        : failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
            }
            return new TopicMessage(eventId, fired.stream().map(TriggerFire.Fired::activationId).toList(), false, false);
        });
    }

    /** Invokes the rule's function, or each function its selector matches now: one line each for the record. */
    private List<CompletableFuture<ObjectNode>> invoke(TriggerActivation activation, Rule rule, ObjectNode params) {
        if (rule.spec().selector().isPresent()) {
            LabelSelector selector = rule.spec().selector().get();
            List<FunctionRevision> chosen = matching(rule.namespace(), selector);
            if (chosen.isEmpty()) {
                return List.of(CompletableFuture.completedFuture(activation.ruleFailed(rule, "",
                        Messages.selectorMatchesNothing(selector.text()))));
            }
            return chosen.stream().map(function -> invoke(activation, rule, function, params)).toList();
        }
        Optional<FunctionRevision> function = registry.function(rule.namespace(), rule.spec().function());
        return List.of(function.map(f -> invoke(activation, rule, f, params))
                .orElseGet(() -> CompletableFuture.completedFuture(activation.ruleFailed(rule, rule.spec().function(),
                        Messages.functionMissing(rule.spec().function())))));
    }

    private CompletableFuture<ObjectNode> invoke(TriggerActivation activation, Rule rule, FunctionRevision function,
            ObjectNode params) {
        Attempt first = new Attempt(rule, function.name(), activation.id(), params, 1);
        return firing.submit(activation.id(), function, params.deepCopy())
                .handle((admission, failure) -> switch (admission) {
                    case Admission.Accepted accepted -> {
                        first.watch(accepted);
                        yield activation.ruleStarted(rule, function.name(), accepted.activationId());
                    }
                    case Admission.Rejected rejected -> activation.ruleRefused(rule, function.name(), rejected.message());
                    case null -> activation.ruleFailed(rule, function.name(), Messages.COULD_NOT_START);
                });
    }

    /**
     * One activation a rule started, and what follows when it fails and the rule has retries: the next
     * attempt after a backoff (1 s, doubling, at most a minute), and past the rule's retries a dead letter
     * ({@link TriggerFailure}). A rule without retries keeps nothing, as OpenWhisk's. Attempts under way
     * live in memory only: a restart starts no retry of them.
     */
    private final class Attempt {
        private final Rule rule;
        private final String function;
        private final String eventId;
        private final ObjectNode params;
        private final int number;

        Attempt(Rule rule, String function, String eventId, ObjectNode params, int number) {
            this.rule = rule;
            this.function = function;
            this.eventId = eventId;
            this.params = params.deepCopy();
            this.number = number;
        }

        void watch(Admission.Accepted accepted) {
            if (rule.spec().retries() == 0) {
                return;
            }
            accepted.completion().whenComplete((ended, error) -> {
                if (error == null && ended.status().success()) {
                    return;
                }
                String why = error != null ? Messages.COULD_NOT_START : ended.result().tree().path("error")
                        .asText(ended.status().label());
                if (number <= rule.spec().retries()) {
                    timer.arm(backoff(), () -> ringer.execute(() -> next(accepted.activationId(), why)));
                } else {
                    keep(accepted.activationId(), why);
                }
            });
        }

        Duration backoff() {
            Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(number - 1, 6));
            return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
        }

        /** The next attempt, of the function's version calls reach now; one that can't start is kept at once. */
        private void next(String lastId, String lastError) {
            Optional<FunctionRevision> now = registry.function(rule.namespace(), function);
            if (now.isEmpty()) {
                keep(lastId, Messages.functionMissing(function));
                return;
            }
            Attempt attempt = new Attempt(rule, function, eventId, params, number + 1);
            firing.submit(eventId, now.get(), params.deepCopy()).whenComplete((admission, failure) -> {
                if (admission instanceof Admission.Accepted accepted) {
                    attempt.watch(accepted);
                } else {
                    keep(lastId, admission instanceof Admission.Rejected rejected ? rejected.message() : lastError);
                }
            });
        }

        private void keep(String lastId, String why) {
            store.putFailure(new TriggerFailure(lastId, rule.namespace(), rule.spec().trigger(), rule.name(), function,
                    eventId, payload(params), number, why, clock.instant()));
        }
    }

    /** What a function was given, without the event that fired it. */
    static ObjectNode payload(ObjectNode params) {
        ObjectNode payload = params.deepCopy();
        payload.remove(FunctionCalls.FIRED_BY);
        return payload;
    }

    /** The trigger's dead letters, newest first. */
    public List<TriggerFailure> failures(String namespace, String trigger) {
        return store.failures(namespace, trigger);
    }

    /**
     * Delivers a dead letter again: its function (the version calls reach now) is invoked with its payload,
     * as a fire of its rule would, with the rule's retries if the rule is still there; the dead letter goes.
     * Completes with the dispatcher's answer; a refused one keeps the dead letter.
     *
     * @throws MissingException when there is no such dead letter, or its function is gone
     */
    public CompletableFuture<Admission> redeliver(String namespace, String trigger, String id) {
        TriggerFailure failure = store.failures(namespace, trigger).stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new MissingException(Messages.failureMissing(id)));
        FunctionRevision function = registry.function(namespace, failure.function())
                .orElseThrow(() -> new MissingException(Messages.functionMissing(failure.function())));
        Rule rule = rule(namespace, failure.rule()).orElseGet(() -> new Rule(namespace,
                new RuleSpec(failure.rule(), trigger, failure.function()), true, 1, clock.instant()));
        Attempt attempt = new Attempt(rule, failure.function(), failure.eventId(), failure.payload(), 1);
        return firing.submit(failure.eventId(), function, failure.payload()).thenApply(admission -> {
            if (admission instanceof Admission.Accepted accepted) {
                store.deleteFailure(namespace, id);
                attempt.watch(accepted);
            }
            return admission;
        });
    }

    /** The namespace's functions whose labels the selector matches now, by name. */
    public List<FunctionRevision> matching(String namespace, LabelSelector selector) {
        return registry.functions(namespace).stream().filter(f -> selector.matches(f.spec().labels())).toList();
    }

    /** A schedule came due: the fire is the schedule's payload. */
    private void fireScheduled(Trigger trigger, Schedule schedule) {
        fire(trigger.namespace(), trigger.name(), schedule.payload()).whenComplete((fire, failure) -> {
            if (failure != null) {
                LOG.warn("the scheduled fire of trigger {}/{} failed: {}", trigger.namespace(), trigger.name(),
                        failure.getMessage());
            }
            if (schedule.deleteAfterFire()) {
                deleteWithRules(trigger.namespace(), trigger.name());
            }
        });
    }

    private synchronized void deleteWithRules(String namespace, String name) {
        rulesOf(namespace, name).forEach(rule -> deleteRule(namespace, rule.name()));
        delete(namespace, name);
    }

    @Override
    public void close() {
        alarms.close();
        MessageBus.Subscription subscribed = relay;
        if (subscribed != null) {
            subscribed.close();
            bus.close();
        }
    }

    private static String key(String namespace, String name) {
        return namespace + "\n" + name; // '\n' sorts before any name's first character: by namespace, then name
    }
}
