package dev.cove.core.spi;

import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Namespace;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The part of the {@link Store} that keeps what is deployed: namespaces, functions and applications.
 *
 * <p>Writes are durable when the call returns: a crash of the process right after loses none of them.
 * Calls block on I/O; keep them off event-loop threads.
 */
public interface FunctionStore {

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
}
