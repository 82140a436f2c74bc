package dev.cove.core.spi;

import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.ReplayableFailure;
import java.util.List;
import java.util.Optional;

/**
 * The part of the {@link Store} that keeps what ran and what is to run: activation records, the
 * invocations accepted without their callers waiting, workflow executions, debug sessions, and what
 * running failed activations again takes.
 *
 * <p>Calls block on I/O; keep them off event-loop threads.
 */
public interface ActivationStore {

    /**
     * Stores activation records in one transaction, which also forgets the queued invocations (see
     * {@link #putQueued}) that have the same ids: an invocation accepted without its caller waiting
     * has, at every moment, either its queued invocation or its record in the store, never neither
     * (a crash would lose it) nor both (a restart would run it again and record it twice). Ids are
     * unique and, as the platform makes them, 32 hex digits whose first 12 are the arrival time in
     * milliseconds: the store may rely on that.
     */
    void putActivations(List<ActivationRecord> records);

    Optional<ActivationRecord> activation(String namespace, String activationId);

    /** Newest first, as the query asks. */
    List<ActivationRecord> activations(ActivationQuery query);

    /** The activations whose functions the given activation's function called, oldest first. */
    List<ActivationRecord> activationsCausedBy(String namespace, String activationId);

    /** Removes the records of activations that started before the given time; answers how many. */
    int deleteActivationsStartedBefore(long epochMillis);

    /** Keeps invocations to run, in one transaction; durable against a crash of the process on return. */
    void putQueued(List<QueuedInvocation> invocations);

    /** Forgets queued invocations that will not run (they were refused, or their function is gone). */
    void removeQueued(List<String> activationIds);

    /** The queued invocations, oldest first. */
    List<QueuedInvocation> queued();

    /** Creates or replaces a workflow execution's record; durable against a crash of the process on return. */
    void putExecution(ExecutionRecord execution);

    Optional<ExecutionRecord> execution(String namespace, String executionId);

    /** The namespace's executions, newest first. */
    List<ExecutionRecord> executions(String namespace, int limit);

    /** The executions of one application of the namespace, newest first. */
    List<ExecutionRecord> executions(String namespace, String application, int limit);

    /** Executions of every namespace still {@link ExecutionRecord#RUNNING}, oldest first. */
    List<ExecutionRecord> runningExecutions();

    /**
     * Creates or replaces a debug session's record, by its id: once as it opens, again as it ends.
     * Durable against a crash of the process on return.
     */
    void putDebugSession(DebugSession session);

    /** The namespace's debug sessions, the most recently opened first, at most {@code limit}. */
    List<DebugSession> debugSessions(String namespace, int limit);

    /** Removes the debug sessions, of every namespace, opened before the given time; answers how many. */
    int deleteDebugSessionsOpenedBefore(long epochMillis);

    /**
     * Keeps failed activations' parameters, for {@code cove replay}, in one transaction, replacing any of
     * the same ids; then each namespace among them keeps only its {@code keepPerNamespace} that started
     * last (ties: the greater id). Durable against a crash of the process on return.
     */
    void putReplayableFailures(List<ReplayableFailure> failures, int keepPerNamespace);

    /** The namespace's failed activation with this id, if its parameters are kept. */
    Optional<ReplayableFailure> replayableFailure(String namespace, String activationId);

    /** Removes the failed activations, of every namespace, that started before the given time; answers how many. */
    int deleteReplayableFailuresStartedBefore(long epochMillis);
}
