package dev.cove.core.spi;

import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.QueuedInvocation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the platform keeps namespaces, applications, functions and activation records. Every implementation passes
 * {@code StoreContract} in the tests.
 *
 * <p>Writes of namespaces, applications and functions are durable when the call returns: a crash of
 * the process right after loses none of them. Calls block on I/O; keep them off event-loop threads.
 */
public interface Store extends AutoCloseable {

    Optional<Namespace> namespace(String name);

    List<Namespace> namespaces();

    /** Creates the namespace or replaces its credentials. */
    void putNamespace(Namespace namespace);

    /** Stores a new version of the function: 1 when it is new, else the current version plus one. */
    FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated);

    Optional<FunctionRevision> function(String namespace, String name);

    /** Every function of every namespace, ordered by namespace and name. */
    List<FunctionRevision> functions();

    /**
     * Removes the function and answers what was removed. An application it belonged to stays, without
     * it.
     */
    Optional<FunctionRevision> deleteFunction(String namespace, String name);

    /**
     * Stores a new version of the application and of each of its functions in one transaction, and
     * removes the functions of its previous version that it no longer names. A function it names that
     * existed alone joins it. The caller has checked that none of them belongs to another application.
     */
    ApplicationRevision putApplication(String namespace, ApplicationSpec application, Instant updated);

    Optional<ApplicationRevision> application(String namespace, String name);

    /** Every application of every namespace, ordered by namespace and name. */
    List<ApplicationRevision> applications();

    /** Removes the application and its functions in one transaction; answers what was removed. */
    Optional<ApplicationRevision> deleteApplication(String namespace, String name);

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

    /** Keeps invocations to run, in one transaction; durable against a crash of the process on return. */
    void putQueued(List<QueuedInvocation> invocations);

    /** Forgets queued invocations that will not run (they were refused, or their function is gone). */
    void removeQueued(List<String> activationIds);

    /** The queued invocations, oldest first. */
    List<QueuedInvocation> queued();

    /** Creates or replaces a workflow execution's record; durable against a crash of the process on return. */
    void putExecution(ExecutionRecord execution);

    Optional<ExecutionRecord> execution(String namespace, String executionId);

    /** The namespace's executions, newest first; of one application when {@code application} is not empty. */
    List<ExecutionRecord> executions(String namespace, Optional<String> application, int limit);

    /** Executions of every namespace still {@link ExecutionRecord#RUNNING}, oldest first. */
    List<ExecutionRecord> runningExecutions();

    /** Removes the records of activations that started before the given time; answers how many. */
    int deleteActivationsStartedBefore(long epochMillis);

    @Override
    void close();

    /** The store failed for a reason outside the caller's control (disk full, a corrupt file). */
    final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
