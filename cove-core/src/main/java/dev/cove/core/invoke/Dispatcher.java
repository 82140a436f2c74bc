package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Activation;
import dev.cove.core.model.Admission;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.FunctionLoad;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.Messages;
import dev.cove.core.model.MissingException;
import dev.cove.core.model.Scaling;
import dev.cove.core.model.Tier;
import dev.cove.core.runtime.Calls;
import dev.cove.core.runtime.Runtimes;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.Sandbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs invocations on instances of their functions.
 *
 * <p><b>Concurrency model.</b> Each function has one {@link FunctionPool}: its ready instances with
 * their activations under way, the instances being started, and a bounded FIFO queue. One lock per pool
 * guards that state for a few field updates; the decision of where an activation goes is the pure
 * {@link Placement#decide}. Everything slow happens outside the lock and off the caller's thread:
 * frames to workers are written by Vert.x, instances start asynchronously from stem cells, and
 * records are written by the {@link ActivationLog}'s own thread. {@link #invoke} never blocks.
 *
 * <p><b>Failure modes.</b> An activation ends exactly once, by the first of: its outcome, its timeout
 * (the instance is then killed, ending its other activations as crashed), or the failure to start an
 * instance for it (which, when no instance of the function is left, ends the whole queue with the same
 * error: they would all meet it). An instance that dies is dropped from its pool, and a queue left
 * without instances starts a fresh one. A full queue or a store that can't keep up refuses new
 * invocations instead of queueing without bound.
 */
public final class Dispatcher implements AutoCloseable {

    /**
     * @param maxQueuePerFunction activations one function may have waiting before new ones are refused
     * @param maxLogBytes the most log bytes any activation keeps, whatever its function's limit says
     * @param maxResultBytes the largest result an activation may return; workers check it too, but a
     *     worker shares its process with the function, so its word is not enough
     * @param scaling how instances share the node: past its memory, the least recently used idle
     *     instances of other functions stop first; how long an activation waits; when idle ones pause
     * @param debugging which failed activations' instances are kept for a debugger, how many, how long
     */
    public record Settings(int maxQueuePerFunction, long maxLogBytes, long maxResultBytes, Scaling scaling,
            Debugging debugging) {}

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    /**
     * How often idle instances are looked for (an instance stops within this after its idle timeout) and
     * each function's concurrency is sampled for its {@link Autoscaler}.
     */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Runtimes runtimes;
    private final ActivationLog log;
    private final Deadlines deadlines;
    private final Clock clock;
    private final Settings settings;
    private final KeptInstances kept;
    private final Replays replays;
    private final DispatchMetrics metrics;
    private final PoolContext poolContext;
    private final WorkerMemory memory;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    /**
     * Pools of one replay each, outside {@link #pools}: of a version deployed over since, or in the
     * process tier for a function that runs inline. Each retires once its replay ends.
     */
    private final Set<FunctionPool> replaying = ConcurrentHashMap.newKeySet();
    /** The depth of each activation under way that a call started (depth 2 and more; others are 1). */
    private final Map<String, Integer> callDepths = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Set<String> runAgain = Set.of();
    private volatile Deadlines.Armed sweep;

    private Dispatcher(Runtimes runtimes, ActivationLog log, Deadlines deadlines, Clock clock, Settings settings,
            MeterRegistry registry) {
        this.runtimes = runtimes;
        this.log = log;
        this.deadlines = deadlines;
        this.clock = clock;
        this.settings = settings;
        this.kept = new KeptInstances(settings.debugging());
        this.replays = new Replays(log.store());
        this.metrics = new DispatchMetrics(registry, runtimes::stemCells, kept::size);
        this.memory = new WorkerMemory(settings.scaling().workerMemoryMb());
        this.poolContext = new PoolContext(runtimes, deadlines, clock, settings, metrics, this::record, this::depthOf,
                memory, this::freeMemory, kept, replays);
    }

    /** A dispatcher that pauses and stops idle instances, and keeps each function's minInstances, from now on. */
    public static Dispatcher create(Runtimes runtimes, ActivationLog log, Deadlines deadlines, Clock clock,
            Settings settings, MeterRegistry registry) {
        Dispatcher dispatcher = new Dispatcher(runtimes, log, deadlines, clock, settings, registry);
        dispatcher.armSweep();
        return dispatcher;
    }

    private void armSweep() {
        // off the timer's thread: stopping and starting instances may block for a moment
        sweep = deadlines.arm(SWEEP_INTERVAL, () -> Thread.ofVirtual().name("cove-idle-sweep").start(() -> {
            long now = clock.millis();
            kept.sweep(now);
            Scaling scaling = settings.scaling();
            for (FunctionPool pool : pools.values()) {
                pool.stopIdle(now);
                if (scaling.pauses()) {
                    pool.pauseIdle(now, scaling.pauseAfter().toMillis());
                }
                pool.autoscale(); // its minInstances at least
                pool.retryStart(); // one that waits for memory another's stop gave back
            }
            replaying.forEach(FunctionPool::retryStart);
            if (!closed) {
                armSweep();
            }
        }));
    }

    /** Starts instances of the function until its minInstances are started (at deployment, and at start). */
    public void provision(FunctionRevision revision) {
        if (!closed && revision.spec().limits().minInstances() > 0) {
            poolFor(revision).provision();
        }
    }

    /**
     * Stops idle instances of functions other than {@code asking}'s, least recently used first, until
     * {@code mb} more fit the budget; false when the idle ones are not enough (the rest are busy).
     */
    private boolean freeMemory(int mb, FunctionPool asking) {
        List<FunctionPool.IdleInstance> idle = new ArrayList<>();
        for (FunctionPool pool : pools.values()) {
            if (pool != asking) {
                idle.addAll(pool.idleInstances());
            }
        }
        idle.sort(Comparator.comparingLong(FunctionPool.IdleInstance::idleSinceMs));
        for (FunctionPool.IdleInstance instance : idle) {
            if (memory.budgetMb() - memory.reservedMb() >= mb) {
                return true;
            }
            instance.stop();
        }
        if (memory.budgetMb() - memory.reservedMb() >= mb) {
            return true;
        }
        // a failure kept for debugging gives way to a function that has work: its memory comes back
        // once its worker has died, which the sweep's next try finds
        kept.letGoOldest();
        return false;
    }

    /** What each function of the namespace with instances, or that had some, is doing; by name. */
    public List<FunctionLoad> load(String namespace) {
        String prefix = namespace + "/";
        return pools.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(e -> e.getValue().load())
                .sorted(Comparator.comparing(FunctionLoad::name)).toList();
    }

    /** The function's instances now. */
    public InstanceCounts instances(String namespace, String name) {
        FunctionPool pool = pools.get(namespace + "/" + name);
        return pool == null ? InstanceCounts.NONE : pool.counts();
    }

    /**
     * Admits an invocation of this function version with these parameters (the function's defaults are
     * merged under them). Never blocks.
     */
    public Admission invoke(FunctionRevision revision, ObjectNode params) {
        return admit(newActivationId(), revision, params, Optional.empty(), 1);
    }

    /**
     * As {@link #invoke}, for a call made by the function of the activation {@code callerId}; refused
     * past {@link Calls#MAX_CALL_DEPTH}.
     */
    public Admission invokeFrom(String callerId, FunctionRevision revision, JsonNode params) {
        int depth = depthOfCallFrom(callerId);
        return tooDeep(depth).orElseGet(() -> admit(newActivationId(), revision, params, Optional.of(callerId), depth));
    }

    /** How deep in its chain a call made now by the activation {@code callerId} would be. */
    int depthOfCallFrom(String callerId) {
        return depthOf(callerId) + 1;
    }

    /** How deep in its chain an activation under way is: 1 when no function called it. */
    int depthOf(String activationId) {
        return callDepths.isEmpty() ? 1 : callDepths.getOrDefault(activationId, 1); // most activations: no chain
    }

    /**
     * Whether invocations are refused now (a shutdown, or records not stored fast enough): calls that
     * workers run themselves, which nothing refuses, are then sent here again, where they are.
     */
    public boolean refusing() {
        return closed || log.full();
    }

    /**
     * Opens an activation that a worker runs itself for a call from the activation {@code callerId}
     * (see {@link Calls#fused}). The worker admitted it and runs it already: nothing here refuses it,
     * not a full queue, a shutdown, nor a chain too deep (which the worker sends here as a call instead).
     */
    public RunListener adopt(String callerId, String activationId, FunctionRevision revision, Instance host) {
        int depth = depthOfCallFrom(callerId);
        // its parameters stay in the worker, which merged them: records don't keep them
        Pending pending = new Pending(activationId, revision, JsonNodeFactory.instance.objectNode(),
                Optional.of(callerId), clock, Math.min(settings.maxLogBytes(), revision.spec().limits().logBytes()),
                settings.maxResultBytes());
        callDepths.put(activationId, depth);
        pending.completion.whenComplete((activation, error) -> callDepths.remove(activationId));
        poolFor(revision).adopt(pending, host);
        return pending;
    }

    /** The refusal of a call this deep, if it is too deep. */
    static Optional<Admission> tooDeep(int depth) {
        if (depth <= Calls.MAX_CALL_DEPTH) {
            return Optional.empty();
        }
        return Optional.of(new Admission.Rejected(Messages.chainTooDeep(depth, Calls.MAX_CALL_DEPTH)));
    }

    /**
     * Admits an invocation under an id it was given before (see {@link AsyncInvocations}), {@code depth}
     * deep in its chain of calls (1 when nothing called it).
     */
    Admission admit(String activationId, FunctionRevision revision, JsonNode params, Optional<String> causedBy,
            int depth) {
        if (closed) {
            return new Admission.Rejected(Messages.SHUTTING_DOWN);
        }
        if (log.full()) {
            return new Admission.Rejected(Messages.OVERLOADED);
        }
        FunctionPool pool = poolFor(revision);
        Pending pending = new Pending(activationId, revision, pool.withDefaults(params), causedBy, clock,
                Math.min(settings.maxLogBytes(), revision.spec().limits().logBytes()), settings.maxResultBytes());
        if (depth == 1) {
            return pool.admit(pending);
        }
        callDepths.put(activationId, depth);
        Admission admission = pool.admit(pending);
        switch (admission) {
            case Admission.Rejected r -> callDepths.remove(activationId);
            case Admission.Accepted a -> a.completion().whenComplete((activation, error) -> callDepths.remove(activationId));
        }
        return admission;
    }

    private FunctionPool poolFor(FunctionRevision revision) {
        String key = revision.path();
        FunctionPool pool = pools.get(key);
        if (pool != null && pool.revision.version() == revision.version()) {
            return pool;
        }
        List<FunctionPool> replaced = new ArrayList<>(1);
        boolean[] first = new boolean[1];
        FunctionPool current = pools.compute(key, (k, existing) -> {
            if (existing != null && existing.revision.version() >= revision.version()) {
                return existing;
            }
            if (existing != null) {
                replaced.add(existing);
            }
            first[0] = existing == null;
            return new FunctionPool(poolContext, revision);
        });
        replaced.forEach(FunctionPool::retire);
        if (first[0]) { // registering meters takes about a millisecond: off the first call's path
            CompletableFuture.runAsync(() -> metrics.instancesOf(revision.namespace(), revision.name(),
                    () -> instances(revision.namespace(), revision.name())));
        }
        return current; // an invocation that raced a redeployment runs the newer version
    }

    /** The function was redeployed or deleted: its instances finish what they run, then stop. */
    public void retire(String namespace, String name) {
        FunctionPool pool = pools.remove(namespace + "/" + name);
        if (pool != null) {
            pool.retire();
        }
    }

    /** Ends queued activations as platform errors and kills every instance. */
    @Override
    public void close() {
        close(Set.of());
    }

    /**
     * As {@link #close()}, but the activations with these ids, which will run again at the next start,
     * leave no record of being ended by the shutdown.
     */
    public void close(Set<String> runAgain) {
        this.runAgain = Set.copyOf(runAgain);
        closed = true;
        Deadlines.Armed armed = sweep;
        if (armed != null) {
            armed.cancel();
        }
        pools.values().forEach(FunctionPool::shutDown);
        pools.clear();
        replaying.forEach(FunctionPool::shutDown);
        kept.close();
        replays.close(); // last: it stores the failures that the shutdown ended
    }

    /**
     * Opens a shell in the sandbox of the namespace's failed activation, kept for debugging, or of an
     * instance of its function; empty when there is none, or it has no shell to open. Blocks for a fork.
     */
    public Optional<Sandbox.Terminal> debugTerminal(String namespace, DebugTarget target, int rows, int columns,
            Consumer<byte[]> output) throws IOException {
        Optional<Instance> instance = instanceFor(namespace, target);
        return instance.isEmpty() ? Optional.empty() : instance.get().terminal(rows, columns, output);
    }

    /**
     * Runs a failed activation of the namespace's again with the parameters it had, as a new activation
     * annotated {@code replayOf}: on the version it ran on while its code is known, or with {@code latest}
     * on the function's current one, which {@code functions} finds by name; {@code keep} keeps its instance
     * for a debugger however it ends. Blocks on the store when memory has no such failure ({@link Replays}).
     *
     * @throws MissingException when its parameters are not kept, or its function is gone
     * @throws ForbiddenException when {@code keep} is asked of a function deployed with debugging off
     * @throws ConflictException when only the store has it and its version was deployed over since
     */
    public Admission replay(String namespace, String activationId, boolean latest, boolean keep,
            Function<String, Optional<FunctionRevision>> functions) {
        Replays.Failure failure = replays.find(namespace, activationId).orElseThrow(() -> new MissingException(
                Messages.notRemembered(activationId, Replays.STORED_PER_NAMESPACE)));
        FunctionRevision current = functions.apply(failure.function()).orElseThrow(() -> new MissingException(
                Messages.noSuchFunction(failure.function(), namespace)));
        if (keep && !current.spec().limits().debug()) {
            throw new ForbiddenException(Messages.debugOff(current.name()));
        }
        JsonNode params = failure.params().orElseThrow(() -> new MissingException(
                Messages.paramsNotKept(activationId, failure.function())));
        FunctionRevision revision = failure.runOn(current, latest);
        return replay(activationId, params, revision, revision.version() == current.version(), keep);
    }

    /**
     * Runs the failed activation again on {@code revision}. A version deployed over since ({@code current}
     * false) runs in a pool of its own, and so does a Java function's that runs inline, there in the process
     * tier: an inline failure leaves no sandbox to debug. Never blocks.
     */
    private Admission replay(String activationId, JsonNode params, FunctionRevision revision, boolean current,
            boolean keep) {
        if (closed) {
            return new Admission.Rejected(Messages.SHUTTING_DOWN);
        }
        boolean inline = runtimes.tierOf(revision).map(verdict -> verdict.tier() == Tier.INLINE).orElse(false);
        FunctionPool pool = current && !inline ? poolFor(revision)
                : new FunctionPool(poolContext, revision, inline ? Optional.of(Messages.REPLAYED_IN_PROCESS)
                        : Optional.empty());
        Pending pending = new Pending(newActivationId(), revision, params, Optional.empty(), clock,
                Math.min(settings.maxLogBytes(), revision.spec().limits().logBytes()), settings.maxResultBytes());
        pending.replayOf = Optional.of(activationId);
        pending.keepForDebugging = keep;
        if (pool == pools.get(revision.path())) {
            return pool.admit(pending);
        }
        replaying.add(pool);
        Admission admission = pool.admit(pending);
        Runnable over = () -> {
            replaying.remove(pool);
            pool.retire();
        };
        if (admission instanceof Admission.Accepted) {
            pending.completion.whenComplete((activation, e) -> over.run());
        } else {
            over.run();
        }
        return admission;
    }

    /**
     * Answers if there is an instance to open a debug shell with.
     *
     * @throws MissingException saying why there is none
     */
    public void requireDebuggable(String namespace, DebugTarget target) {
        if (instanceFor(namespace, target).isPresent()) {
            return;
        }
        if (target instanceof DebugTarget.FailedActivation failed
                && replays.remembered(namespace, failed.activationId()).filter(Replays.Failure::inline).isPresent()) {
            throw new MissingException(Messages.notInSandbox(failed.activationId()));
        }
        throw new MissingException(target.missing());
    }

    /** The function a debug shell would open in an instance of: the target's, or the failed activation's. */
    public Optional<String> functionOf(String namespace, DebugTarget target) {
        return switch (target) {
            case DebugTarget.FailedActivation failed -> kept.find(namespace, failed.activationId())
                    .map(KeptInstances.Kept::function)
                    .or(() -> replays.remembered(namespace, failed.activationId()).map(Replays.Failure::function));
            case DebugTarget.LiveInstance live -> Optional.of(live.function());
        };
    }

    private Optional<Instance> instanceFor(String namespace, DebugTarget target) {
        return switch (target) {
            case DebugTarget.FailedActivation failed -> kept.find(namespace, failed.activationId())
                    .map(KeptInstances.Kept::instance);
            case DebugTarget.LiveInstance live -> Optional.ofNullable(pools.get(namespace + "/" + live.function()))
                    .flatMap(FunctionPool::anyInstance);
        };
    }

    private void record(Activation activation) {
        if (!runAgain.isEmpty() && runAgain.contains(activation.activationId())) {
            return;
        }
        log.add(activation);
    }

    /**
     * 32 hex characters, as OpenWhisk's activation ids: the first 12 are the time in milliseconds and
     * the other 20 random, so ids sort by time and the store's index grows at its end instead of
     * everywhere at once.
     */
    public String newActivationId() {
        byte[] id = new byte[32];
        hex(id, 0, 12, clock.millis());
        hex(id, 12, 4, ThreadLocalRandom.current().nextInt());
        hex(id, 16, 16, ThreadLocalRandom.current().nextLong());
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** Writes the low {@code digits} hex digits of {@code value} at {@code at}. */
    private static void hex(byte[] into, int at, int digits, long value) {
        for (int i = at + digits - 1; i >= at; i--) {
            into[i] = HEX_DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
