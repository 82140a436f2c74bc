package dev.cove.core.registry;

import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.spi.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A store in the heap, guarded by one lock. */
final class MemoryStore implements Store {
    private static final Comparator<ActivationRecord> NEWEST_FIRST = Comparator
            .comparingLong(ActivationRecord::startMillis).thenComparing(ActivationRecord::activationId).reversed();

    private final Map<String, Namespace> namespaces = new TreeMap<>();
    private final Map<String, FunctionRevision> functions = new TreeMap<>();
    private final Map<String, ApplicationRevision> applications = new TreeMap<>();
    private final Map<String, ActivationRecord> activations = new HashMap<>();
    private final Map<String, QueuedInvocation> queued = new HashMap<>();
    private final Map<String, ExecutionRecord> executions = new HashMap<>();
    private final Map<String, Trigger> triggers = new TreeMap<>();
    private final Map<String, Rule> rules = new TreeMap<>();
    private final Map<String, Instant> lastFires = new HashMap<>();
    private final Map<String, TriggerFailure> failures = new HashMap<>();
    private final Map<String, DebugSession> debugSessions = new HashMap<>();
    private final Map<String, ReplayableFailure> replayable = new HashMap<>();

    @Override
    public synchronized Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    @Override
    public synchronized List<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    @Override
    public synchronized void putNamespace(Namespace namespace) {
        namespaces.put(namespace.name(), namespace);
    }

    @Override
    public synchronized FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated) {
        String application = Optional.ofNullable(functions.get(key(namespace, spec.name())))
                .map(FunctionRevision::application).orElse(spec.name());
        return putFunction(namespace, spec, updated, application);
    }

    private FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated, String application) {
        String key = key(namespace, spec.name());
        int version = Optional.ofNullable(functions.get(key)).map(FunctionRevision::version).orElse(0) + 1;
        FunctionRevision revision = new FunctionRevision(namespace, spec, version,
                Instant.ofEpochMilli(updated.toEpochMilli()), application);
        functions.put(key, revision);
        return revision;
    }

    @Override
    public synchronized ApplicationRevision putApplication(String namespace, ApplicationSpec application,
            Instant updated) {
        functions.values().removeIf(f -> f.namespace().equals(namespace) && f.application().equals(application.name())
                && !application.functionNames().contains(f.name()));
        application.functions().forEach(spec -> putFunction(namespace, spec, updated, application.name()));
        String key = key(namespace, application.name());
        int version = Optional.ofNullable(applications.get(key)).map(ApplicationRevision::version).orElse(0) + 1;
        applications.put(key, new ApplicationRevision(namespace, application.name(), version,
                Instant.ofEpochMilli(updated.toEpochMilli()), List.of(), application.workflow()));
        return application(namespace, application.name()).orElseThrow();
    }

    @Override
    public synchronized Optional<ApplicationRevision> application(String namespace, String name) {
        return Optional.ofNullable(applications.get(key(namespace, name))).map(this::withFunctions);
    }

    @Override
    public synchronized List<ApplicationRevision> applications() {
        return applications.values().stream().map(this::withFunctions).toList();
    }

    private ApplicationRevision withFunctions(ApplicationRevision row) {
        List<FunctionRevision> members = functions.values().stream()
                .filter(f -> f.namespace().equals(row.namespace()) && f.application().equals(row.name())).toList();
        return new ApplicationRevision(row.namespace(), row.name(), row.version(), row.updated(), members,
                row.workflow());
    }

    @Override
    public synchronized Optional<ApplicationRevision> deleteApplication(String namespace, String name) {
        Optional<ApplicationRevision> existing = application(namespace, name);
        existing.ifPresent(app -> {
            app.functions().forEach(f -> functions.remove(key(namespace, f.name())));
            applications.remove(key(namespace, name));
        });
        return existing;
    }

    @Override
    public synchronized Optional<FunctionRevision> function(String namespace, String name) {
        return Optional.ofNullable(functions.get(key(namespace, name)));
    }

    @Override
    public synchronized List<FunctionRevision> functions() {
        return List.copyOf(functions.values());
    }

    @Override
    public synchronized Optional<FunctionRevision> deleteFunction(String namespace, String name) {
        return Optional.ofNullable(functions.remove(key(namespace, name)));
    }

    @Override
    public synchronized void putActivations(List<ActivationRecord> records) {
        records.forEach(r -> activations.put(r.activationId(), r));
        records.forEach(r -> queued.remove(r.activationId()));
    }

    @Override
    public synchronized Optional<ActivationRecord> activation(String namespace, String activationId) {
        return Optional.ofNullable(activations.get(activationId)).filter(r -> r.namespace().equals(namespace));
    }

    @Override
    public synchronized List<ActivationRecord> activations(ActivationQuery q) {
        List<ActivationRecord> matching = new ArrayList<>();
        for (ActivationRecord r : activations.values()) {
            if (r.namespace().equals(q.namespace())
                    && q.name().map(r.name()::equals).orElse(true)
                    && q.sinceMillis().map(s -> r.startMillis() >= s).orElse(true)
                    && q.uptoMillis().map(u -> r.startMillis() <= u).orElse(true)) {
                matching.add(r);
            }
        }
        return matching.stream().sorted(NEWEST_FIRST).skip(q.skip()).limit(q.limit()).toList();
    }

    @Override
    public synchronized List<ActivationRecord> activationsCausedBy(String namespace, String activationId) {
        return activations.values().stream()
                .filter(r -> r.namespace().equals(namespace) && r.causedBy().filter(activationId::equals).isPresent())
                .sorted(Comparator.comparing(ActivationRecord::activationId)).toList();
    }

    @Override
    public synchronized void putQueued(List<QueuedInvocation> invocations) {
        invocations.forEach(q -> queued.put(q.activationId(), q));
    }

    @Override
    public synchronized void removeQueued(List<String> activationIds) {
        activationIds.forEach(queued::remove);
    }

    @Override
    public synchronized List<QueuedInvocation> queued() {
        return queued.values().stream().sorted(Comparator.comparingLong(QueuedInvocation::arrivedMillis)
                .thenComparing(QueuedInvocation::activationId)).toList();
    }

    @Override
    public synchronized void putExecution(ExecutionRecord execution) {
        executions.put(execution.executionId(), execution);
    }

    @Override
    public synchronized Optional<ExecutionRecord> execution(String namespace, String executionId) {
        return Optional.ofNullable(executions.get(executionId)).filter(e -> e.namespace().equals(namespace));
    }

    @Override
    public synchronized List<ExecutionRecord> executions(String namespace, int limit) {
        return newestExecutions(e -> e.namespace().equals(namespace), limit);
    }

    @Override
    public synchronized List<ExecutionRecord> executions(String namespace, String application, int limit) {
        return newestExecutions(e -> e.namespace().equals(namespace) && e.application().equals(application), limit);
    }

    private List<ExecutionRecord> newestExecutions(Predicate<ExecutionRecord> wanted, int limit) {
        return executions.values().stream().filter(wanted)
                .sorted(Comparator.comparingLong(ExecutionRecord::startMillis)
                        .thenComparing(ExecutionRecord::executionId).reversed())
                .limit(limit).toList();
    }

    @Override
    public synchronized List<ExecutionRecord> runningExecutions() {
        return executions.values().stream().filter(e -> e.status().equals(ExecutionRecord.RUNNING))
                .sorted(Comparator.comparingLong(ExecutionRecord::startMillis)
                        .thenComparing(ExecutionRecord::executionId)).toList();
    }

    @Override
    public synchronized int deleteActivationsStartedBefore(long epochMillis) {
        int before = activations.size();
        activations.values().removeIf(r -> r.startMillis() < epochMillis);
        return before - activations.size();
    }

    @Override
    public synchronized void putDebugSession(DebugSession session) {
        debugSessions.put(session.id(), session);
    }

    @Override
    public synchronized List<DebugSession> debugSessions(String namespace, int limit) {
        return debugSessions.values().stream().filter(s -> s.namespace().equals(namespace))
                .sorted(Comparator.comparing(DebugSession::opened).thenComparing(DebugSession::id).reversed())
                .limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized int deleteDebugSessionsOpenedBefore(long epochMillis) {
        int before = debugSessions.size();
        debugSessions.values().removeIf(s -> s.opened().toEpochMilli() < epochMillis);
        return before - debugSessions.size();
    }

    @Override
    public synchronized void putReplayableFailures(List<ReplayableFailure> put, int keepPerNamespace) {
        put.forEach(f -> replayable.put(f.activationId(), f));
        put.stream().map(ReplayableFailure::namespace).distinct().forEach(namespace -> replayable.values()
                .stream().filter(f -> f.namespace().equals(namespace))
                .sorted(Comparator.comparing(ReplayableFailure::started)
                        .thenComparing(ReplayableFailure::activationId).reversed())
                .skip(Math.max(0, keepPerNamespace)).toList()
                .forEach(f -> replayable.remove(f.activationId())));
    }

    @Override
    public synchronized Optional<ReplayableFailure> replayableFailure(String namespace, String activationId) {
        return Optional.ofNullable(replayable.get(activationId)).filter(f -> f.namespace().equals(namespace));
    }

    @Override
    public synchronized int deleteReplayableFailuresStartedBefore(long epochMillis) {
        int before = replayable.size();
        replayable.values().removeIf(f -> f.started().toEpochMilli() < epochMillis);
        return before - replayable.size();
    }

    @Override
    public synchronized Trigger putTrigger(String namespace, TriggerSpec spec, Instant updated) {
        String key = key(namespace, spec.name());
        int version = Optional.ofNullable(triggers.get(key)).map(Trigger::version).orElse(0) + 1;
        Trigger trigger = new Trigger(namespace, spec, version, updated);
        triggers.put(key, trigger);
        return trigger;
    }

    @Override
    public synchronized Optional<Trigger> trigger(String namespace, String name) {
        return Optional.ofNullable(triggers.get(key(namespace, name)));
    }

    @Override
    public synchronized List<Trigger> triggers() {
        return List.copyOf(triggers.values());
    }

    @Override
    public synchronized Optional<Trigger> deleteTrigger(String namespace, String name) {
        lastFires.remove(key(namespace, name));
        return Optional.ofNullable(triggers.remove(key(namespace, name)));
    }

    @Override
    public synchronized Rule putRule(String namespace, RuleSpec spec, boolean active, Instant updated) {
        String key = key(namespace, spec.name());
        int version = Optional.ofNullable(rules.get(key)).map(Rule::version).orElse(0) + 1;
        Rule rule = new Rule(namespace, spec, active, version, updated);
        rules.put(key, rule);
        return rule;
    }

    @Override
    public synchronized Optional<Rule> rule(String namespace, String name) {
        return Optional.ofNullable(rules.get(key(namespace, name)));
    }

    @Override
    public synchronized List<Rule> rules() {
        return List.copyOf(rules.values());
    }

    @Override
    public synchronized Optional<Rule> deleteRule(String namespace, String name) {
        return Optional.ofNullable(rules.remove(key(namespace, name)));
    }

    @Override
    public synchronized Optional<Instant> lastFire(String namespace, String trigger) {
        return Optional.ofNullable(lastFires.get(key(namespace, trigger)));
    }

    @Override
    public synchronized void putLastFire(String namespace, String trigger, Instant due) {
        if (triggers.containsKey(key(namespace, trigger))) {
            lastFires.put(key(namespace, trigger), due);
        }
    }

    @Override
    public synchronized void putFailure(TriggerFailure failure) {
        failures.put(key(failure.namespace(), failure.id()), failure);
    }

    @Override
    public synchronized List<TriggerFailure> failures(String namespace, String trigger) {
        return failures.values().stream().filter(f -> f.namespace().equals(namespace) && f.trigger().equals(trigger))
                .sorted(Comparator.comparing(TriggerFailure::at).thenComparing(TriggerFailure::id).reversed()).toList();
    }

    @Override
    public synchronized Optional<TriggerFailure> deleteFailure(String namespace, String id) {
        return Optional.ofNullable(failures.remove(key(namespace, id)));
    }

    @Override
    public void close() {}

    private static String key(String namespace, String name) {
        // '\n' can't appear in either part, so the pair maps to one key only
        return namespace + "\n" + name;
    }
}
