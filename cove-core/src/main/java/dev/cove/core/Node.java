package dev.cove.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Admission;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.ExecutionStarted;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.FunctionLoad;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Scaling;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.model.TopicMessage;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerFire;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.spi.Deadlines;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One node of Cove as its HTTP server sees it: everything a request can do, and nothing of how the
 * node is built. Methods that block say so; the others never block.
 */
public interface Node extends AutoCloseable {

    /**
     * @param dataDir code and worker programs (and, as cove-node opens it, the store's {@code cove.db})
     * @param stemCellsPerRuntime idle workers each process runtime keeps started
     * @param maxPayloadBytes the largest parameters and results
     * @param retention how long activation records are kept
     * @param maxQueuePerFunction activations one function may have waiting
     * @param maxLogBytes the most log bytes one activation keeps
     * @param sandboxed whether node and python functions must run in sandboxes (off only on request)
     * @param cache the caches' TTLs, limits and quotas, which the cache backend is built with
     * @param packageSources where pip finds python functions' dependencies
     * @param scaling how the functions' instances share the node: their memory together, how long an
     *     activation may wait for one, when an idle one is paused
     * @param debugging which failed activations' instances are kept for a debugger, how many, how long
     */
    public record Config(Path dataDir, int stemCellsPerRuntime, long maxPayloadBytes, Duration retention,
            int maxQueuePerFunction, long maxLogBytes, boolean sandboxed, CacheSettings cache,
            PackageSources packageSources, Scaling scaling, Debugging debugging) {}

    /** A shell a person types into, in the sandbox a failed activation ran in (see {@link Debugging}). */
    interface Shell {
        /** Bytes typed, in order. */
        void type(byte[] keys) throws IOException;

        void resize(int rows, int columns) throws IOException;

        /** Completes with the shell's exit status. */
        CompletableFuture<Integer> exit();

        /** Ends the shell and what it started. */
        void close();
    }

    /** The most activations {@link #chain} lists. */
    int MAX_CHAIN = 1000;

    /**
     * Tells functions started from now on where the REST API is ({@code __OW_API_HOST}): the server
     * says where it listens, e.g. {@code http://127.0.0.1:3233}, once it does. A function in a
     * sandbox is told the address its sandbox relays from ({@link #apiSocket()}), a plain process
     * this one.
     */
    void apiHost(String serverAddress);

    /**
     * Where the server is to serve its REST API for the sandboxes, as a Unix socket: every sandbox
     * sees its folder and relays its functions' connections to it.
     */
    Path apiSocket();

    Namespace guest();

    Optional<Namespace> authenticate(String uuid, String key);

    /**
     * Checks, stores and installs a new version of a function; blocks on disk (and javac). The new
     * version serves the next invocation; instances of the old one finish what they run.
     *
     * @throws InvalidFunctionException when the code can't run: the message is for the user
     * @throws dev.cove.core.model.ConflictException when an application outside which it stands
     *     has its name
     */
    FunctionRevision deploy(String namespace, FunctionSpec spec) throws InvalidFunctionException;

    /**
     * Checks, stores and installs a new version of an application: all its functions or none. Blocks
     * on disk (and javac). Functions its previous version had and this one hasn't are removed.
     *
     * @throws InvalidFunctionException when a function's code can't run (the message names it) or the
     *     workflow is not valid (the message names its state)
     * @throws dev.cove.core.model.ConflictException when a name is taken outside the application
     */
    ApplicationRevision deploy(String namespace, ApplicationSpec application) throws InvalidFunctionException;

    Optional<ApplicationRevision> application(String namespace, String name);

    /** The namespace's applications deployed as such, by name. */
    List<ApplicationRevision> applications(String namespace);

    /** Removes an application and its functions; their instances finish what they run. Blocks on disk. */
    Optional<ApplicationRevision> deleteApplication(String namespace, String name);

    Optional<FunctionRevision> function(String namespace, String name);

    /** The tier a Java function's version runs in now; empty for other kinds. May read the disk. */
    Optional<TierVerdict> tierOf(FunctionRevision revision);

    List<FunctionRevision> functions(String namespace);

    /** The function's instances now: starting, busy and idle (none once it scaled to zero). */
    InstanceCounts instances(String namespace, String name);

    /**
     * Opens a shell in the sandbox a failed activation of the namespace's ran in, kept as the failure
     * left it (see {@link Debugging}), or in a live instance's of one of its functions; blocks for a fork.
     *
     * @param output what the shell writes to its terminal, as it comes
     * @throws MissingException when there is none: the activation did not fail so, it is another
     *     namespace's, its window is over (or more recent failures took its place); the function has no
     *     instance started
     * @throws ForbiddenException when the function is deployed with debugging off ({@link Limits#debug})
     * @throws IOException when the shell could not start (its sandboxes have no toolbox)
     */
    Shell debug(String namespace, DebugTarget target, int rows, int columns, Consumer<byte[]> output)
            throws IOException;

    /**
     * Runs a failed activation of the namespace's again with the parameters it ran with, as a new
     * activation annotated {@code replayOf}: on the version it ran on (deployed again since or not, while
     * the node has its code), or with {@code latest} on the function's current one; {@code keep} keeps its
     * sandbox for {@link #debug} however it ends. A Java function's activation that ran inline, in the
     * server's JVM where no sandbox is left to debug, runs again in the process tier. The parameters of
     * the node's last failures are in memory; older ones, and those from before a restart, are read from
     * the store: keep the call off event loops.
     *
     * @throws MissingException when its parameters are not kept, or the function is gone
     * @throws ForbiddenException when {@code keep} is asked of a function deployed with debugging off
     * @throws ConflictException when its parameters are found only in the store and its function was
     *     deployed again since it ran (the store doesn't keep the old code), unless {@code latest}
     */
    Admission replay(String namespace, String activationId, boolean latest, boolean keep);

    /**
     * Answers if {@link #debug} has a sandbox to open a shell in.
     *
     * @throws MissingException saying why there is none (as {@link #debug})
     * @throws ForbiddenException when the function is deployed with debugging off ({@link Limits#debug})
     */
    void requireDebuggable(String namespace, DebugTarget target);

    /**
     * Records a debug shell opened, in the store on return (blocks on it), so that the record of who
     * opened a shell outlives a restart and a crash.
     *
     * @throws RuntimeException what the store throws when it can't keep the record
     */
    void debugSessionOpened(DebugSession session);

    /**
     * Records what is known of how a debug session ended (its close, its shell's exit status), under the
     * id it opened with: stored in the background, in the order of the calls, so that a later call wins;
     * never blocks. One that comes once the node is closing is not stored.
     */
    void debugSessionEnded(DebugSession session);

    /**
     * The namespace's debug sessions, the most recently opened first, at most {@code limit}, kept as
     * long as activation records are. Blocks on the store.
     */
    List<DebugSession> debugSessions(String namespace, int limit);

    /** What each function of the namespace that runs on this node is doing, by name. */
    List<FunctionLoad> load(String namespace);

    /** Removes a function; its instances finish what they run. Blocks on disk. */
    Optional<FunctionRevision> delete(String namespace, String name);

    /** Admits an invocation; never blocks. */
    Admission invoke(FunctionRevision revision, ObjectNode params);

    /**
     * Admits an invocation nobody waits for, once it is in the store (so that a restart still runs
     * it); never blocks.
     */
    CompletableFuture<Admission> invokeAsync(FunctionRevision revision, ObjectNode params);

    /** One activation, stored or just ended. Blocks on the store. */
    Optional<ActivationRecord> activation(String namespace, String activationId);

    /**
     * Activations newest first, including those ended but not yet stored: the store's first
     * skip + limit and the unstored ones, merged, then paged. Blocks on the store.
     */
    List<ActivationRecord> activations(ActivationQuery query);

    /**
     * Starts the application's workflow with this input. Unless the caller waits for it
     * ({@code blocking}), the execution is in the store on return (blocks on it), so that a restart
     * runs it.
     *
     * @throws IllegalArgumentException when the application has no workflow
     */
    Optional<ExecutionStarted> startWorkflow(String namespace, String application, JsonNode input, boolean blocking);

    /** One workflow execution with its history (so far, while it runs). Blocks on the store. */
    Optional<ObjectNode> execution(String namespace, String executionId);

    /** Workflow executions newest first, without their histories. Blocks on the store. */
    List<ObjectNode> executions(String namespace, int limit);

    /** One application's workflow executions newest first, without their histories. Blocks on the store. */
    List<ObjectNode> executions(String namespace, String application, int limit);

    /** The cache counters of the namespace's functions and applications. Blocks on the cache's backend. */
    List<ObjectNode> cacheStats(String namespace);

    /**
     * The cache counters of one function and its application; empty when that function does not exist.
     * Blocks on the cache's backend.
     */
    Optional<List<ObjectNode>> cacheStats(String namespace, String function);

    /** Empties a function's cache (or its application's shared one); false when there is no such function. */
    boolean clearCache(String namespace, String function, boolean application);

    /** What holds the functions' caches, one line. */
    String cacheDescription();

    /**
     * An activation and every activation it caused, directly or through others: the whole chain of
     * calls below it, parents before their children, each level oldest first. Blocks on the store.
     */
    List<ActivationRecord> chain(String namespace, String activationId);

    /** The platform's cheap timers, for waits that are almost always cancelled. */
    Deadlines deadlines();

    PrometheusMeterRegistry metrics();

    /** One line per runtime that can run functions. */
    List<String> runtimes();

    /** Why a runtime can't run functions, one line each. */
    List<String> unavailableRuntimes();

    /** What isolates the functions' workers, one line. */
    String isolation();

    boolean supports(Kind kind);

    /**
     * Stores a trigger (OpenWhisk's): a new one or, with {@code overwrite}, a new version; its schedule,
     * if it has one, is armed at once.
     *
     * @throws dev.cove.core.model.InvalidTriggerException when its schedule does not read
     * @throws dev.cove.core.model.ConflictException when it exists and {@code overwrite} is false
     */
    Trigger putTrigger(String namespace, TriggerSpec spec, boolean overwrite);

    Optional<Trigger> trigger(String namespace, String name);

    /** The namespace's triggers, by name. */
    List<Trigger> triggers(String namespace);

    /** The HTTP trigger at the path (whose function answers requests there), whichever its namespace. */
    Optional<Trigger> httpTrigger(String path);

    /** When the trigger's schedule fires next, if it has one that will. */
    Optional<Instant> nextFire(String namespace, String trigger);

    /** Deletes the trigger and disarms its schedule; its rules stay. */
    Optional<Trigger> deleteTrigger(String namespace, String name);

    /**
     * Fires the trigger: each active rule's function is invoked, nobody waiting, with the trigger's
     * parameters overlaid by the payload. Completes once every invocation is stored. Blocks on the store.
     */
    CompletableFuture<TriggerFire> fire(String namespace, String trigger, ObjectNode payload);

    /**
     * Publishes a message on a topic of the namespace: every trigger there that subscribes to the topic
     * fires with it. Completes once every fire is stored; a message whose event id was published on the
     * topic lately fires nothing again. Blocks on the store.
     */
    CompletableFuture<TopicMessage> publish(String namespace, String topic, ObjectNode message, String eventId);

    /**
     * Stores a rule, active.
     *
     * @throws dev.cove.core.model.MissingException when its trigger or function does not exist
     * @throws dev.cove.core.model.ConflictException when it exists and {@code overwrite} is false
     */
    Rule putRule(String namespace, RuleSpec spec, boolean overwrite);

    /** The namespace's functions whose labels the selector matches now, by name. */
    List<FunctionRevision> matching(String namespace, LabelSelector selector);

    Optional<Rule> setRuleActive(String namespace, String name, boolean active);

    Optional<Rule> rule(String namespace, String name);

    /** The namespace's rules, by name. */
    List<Rule> rules(String namespace);

    /** The namespace's rules that name the trigger. */
    List<Rule> rulesOf(String namespace, String trigger);

    Optional<Rule> deleteRule(String namespace, String name);

    /** The dead letters of the trigger's rules with retries, newest first. */
    List<TriggerFailure> failures(String namespace, String trigger);

    /**
     * Delivers a dead letter again, to its function as it is now; completes with the dispatcher's answer (a
     * refused one keeps the dead letter).
     *
     * @throws dev.cove.core.model.MissingException when there is no such dead letter, or its function is gone
     */
    CompletableFuture<Admission> redeliver(String namespace, String trigger, String failureId);

    /** Stops the workers, stores the last records, closes the store. */
    void close();
}
