package dev.cove.core.invoke;

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
import java.util.List;
import java.util.Optional;

/** A store that passes every call on, for tests that make one call fail the way a disk would. */
class DelegatingStore implements Store {
    private final Store inner;

    DelegatingStore(Store inner) {
        this.inner = inner;
    }

    @Override
    public Optional<Namespace> namespace(String name) {
        return inner.namespace(name);
    }

    @Override
    public List<Namespace> namespaces() {
        return inner.namespaces();
    }

    @Override
    public void putNamespace(Namespace namespace) {
        inner.putNamespace(namespace);
    }

    @Override
    public FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated) {
        return inner.putFunction(namespace, spec, updated);
    }

    @Override
    public Optional<FunctionRevision> function(String namespace, String name) {
        return inner.function(namespace, name);
    }

    @Override
    public List<FunctionRevision> functions() {
        return inner.functions();
    }

    @Override
    public Optional<FunctionRevision> deleteFunction(String namespace, String name) {
        return inner.deleteFunction(namespace, name);
    }

    @Override
    public ApplicationRevision putApplication(String namespace, ApplicationSpec application, Instant updated) {
        return inner.putApplication(namespace, application, updated);
    }

    @Override
    public Optional<ApplicationRevision> application(String namespace, String name) {
        return inner.application(namespace, name);
    }

    @Override
    public List<ApplicationRevision> applications() {
        return inner.applications();
    }

    @Override
    public Optional<ApplicationRevision> deleteApplication(String namespace, String name) {
        return inner.deleteApplication(namespace, name);
    }

    @Override
    public void putActivations(List<ActivationRecord> records) {
        inner.putActivations(records);
    }

    @Override
    public Optional<ActivationRecord> activation(String namespace, String activationId) {
        return inner.activation(namespace, activationId);
    }

    @Override
    public List<ActivationRecord> activations(ActivationQuery query) {
        return inner.activations(query);
    }

    @Override
    public List<ActivationRecord> activationsCausedBy(String namespace, String activationId) {
        return inner.activationsCausedBy(namespace, activationId);
    }

    @Override
    public void putQueued(List<QueuedInvocation> invocations) {
        inner.putQueued(invocations);
    }

    @Override
    public void removeQueued(List<String> activationIds) {
        inner.removeQueued(activationIds);
    }

    @Override
    public List<QueuedInvocation> queued() {
        return inner.queued();
    }

    @Override
    public void putExecution(ExecutionRecord execution) {
        inner.putExecution(execution);
    }

    @Override
    public Optional<ExecutionRecord> execution(String namespace, String executionId) {
        return inner.execution(namespace, executionId);
    }

    @Override
    public List<ExecutionRecord> executions(String namespace, int limit) {
        return inner.executions(namespace, limit);
    }

    @Override
    public List<ExecutionRecord> executions(String namespace, String application, int limit) {
        return inner.executions(namespace, application, limit);
    }

    @Override
    public List<ExecutionRecord> runningExecutions() {
        return inner.runningExecutions();
    }

    @Override
    public void putDebugSession(DebugSession session) {
        inner.putDebugSession(session);
    }

    @Override
    public List<DebugSession> debugSessions(String namespace, int limit) {
        return inner.debugSessions(namespace, limit);
    }

    @Override
    public int deleteDebugSessionsOpenedBefore(long epochMillis) {
        return inner.deleteDebugSessionsOpenedBefore(epochMillis);
    }

    @Override
    public void putReplayableFailures(List<ReplayableFailure> failures, int keepPerNamespace) {
        inner.putReplayableFailures(failures, keepPerNamespace);
    }

    @Override
    public Optional<ReplayableFailure> replayableFailure(String namespace, String activationId) {
        return inner.replayableFailure(namespace, activationId);
    }

    @Override
    public int deleteReplayableFailuresStartedBefore(long epochMillis) {
        return inner.deleteReplayableFailuresStartedBefore(epochMillis);
    }

    @Override
    public int deleteActivationsStartedBefore(long epochMillis) {
        return inner.deleteActivationsStartedBefore(epochMillis);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public Trigger putTrigger(String namespace, TriggerSpec spec, Instant updated) {
        return inner.putTrigger(namespace, spec, updated);
    }

    @Override
    public Optional<Trigger> trigger(String namespace, String name) {
        return inner.trigger(namespace, name);
    }

    @Override
    public List<Trigger> triggers() {
        return inner.triggers();
    }

    @Override
    public Optional<Trigger> deleteTrigger(String namespace, String name) {
        return inner.deleteTrigger(namespace, name);
    }

    @Override
    public Rule putRule(String namespace, RuleSpec spec, boolean active, Instant updated) {
        return inner.putRule(namespace, spec, active, updated);
    }

    @Override
    public Optional<Rule> rule(String namespace, String name) {
        return inner.rule(namespace, name);
    }

    @Override
    public List<Rule> rules() {
        return inner.rules();
    }

    @Override
    public Optional<Rule> deleteRule(String namespace, String name) {
        return inner.deleteRule(namespace, name);
    }

    @Override
    public Optional<Instant> lastFire(String namespace, String trigger) {
        return inner.lastFire(namespace, trigger);
    }

    @Override
    public void putLastFire(String namespace, String trigger, Instant due) {
        inner.putLastFire(namespace, trigger, due);
    }

    @Override
    public void putFailure(TriggerFailure failure) {
        inner.putFailure(failure);
    }

    @Override
    public List<TriggerFailure> failures(String namespace, String trigger) {
        return inner.failures(namespace, trigger);
    }

    @Override
    public Optional<TriggerFailure> deleteFailure(String namespace, String id) {
        return inner.deleteFailure(namespace, id);
    }
}
