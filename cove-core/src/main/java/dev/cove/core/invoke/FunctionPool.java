package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.Admission;
import dev.cove.core.model.FunctionLoad;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Messages;
import dev.cove.core.model.Scaling;
import dev.cove.core.model.Tier;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.StartFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** One function version's instances and queue; see {@link Dispatcher} for the model. */
final class FunctionPool {
    final FunctionRevision revision;

    private final PoolContext context;
    private final ObjectNode defaults;
    private final Limits limits;
    /** What one instance takes of the node's worker memory: its memory limit; a sequence's runs nothing itself. */
    private final int memoryMb;
    /** The longest an activation waits in the queue. */
    private final Duration maxWait;
    /** Registering a function's meters takes about a millisecond: done off the first call's path. */
    private final CompletableFuture<DispatchMetrics.ForFunction> meters;
    /** Why its instances start in the process tier whatever the function's verdict, if they do (a replay's). */
    private final Optional<String> inProcess;
    private final List<Slot> ready = new ArrayList<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int starting;
    private boolean retired;
    /** Instances that died since an activation last succeeded: past one, new instances wait (see {@link #backoff}). */
    private int deathsSinceSuccess;
    /** An instance started to keep minInstances failed to start: no more are, until one starts. */
    private boolean provisionFailed;
    /** The last start found no memory in the node's budget: its queue waits until some is given back. */
    private boolean waitingForMemory;
    /** Its concurrency, sampled each second by the dispatcher's sweep. Under the pool's lock. */
    private final Autoscaler.Window concurrency = new Autoscaler.Window();
    private final AtomicLong activationsEnded = new AtomicLong();
    private final AtomicLong instancesStarted = new AtomicLong();

    /** The first pause before restarting a function whose instances keep dying; it doubles from there. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    FunctionPool(PoolContext context, FunctionRevision revision) {
        this(context, revision, Optional.empty());
    }

    /** @param inProcess why its instances start in the process tier, if they must (a Java function's) */
    FunctionPool(PoolContext context, FunctionRevision revision, Optional<String> inProcess) {
        this.context = context;
        this.inProcess = inProcess;
        this.revision = revision;
        this.defaults = revision.spec().parameters();
        this.limits = revision.spec().limits();
        this.memoryMb = revision.spec().kind() == Kind.SEQUENCE ? 0 : limits.memoryMb();
        this.maxWait = context.settings().scaling().waitFor(limits.timeout());
        this.meters = CompletableFuture.supplyAsync(() -> context.metrics().new ForFunction(revision));
    }

    /** A started instance and how many activations it runs now. */
    private static final class Slot {
        final Instance instance;
        int inFlight;
        /** When it last had nothing under way (clock millis), or was started. Under the pool's lock. */
        long idleSinceMs;
        /** Handed to the first activation the instance runs: it caused the cold start. */
        ColdStart cold;
        /** Whether its death is counted in deathsSinceSuccess, or needs no counting (a stop). Under the pool's lock. */
        boolean deathCounted;
        /** Whether its memory went back to the node's budget. Under the pool's lock. */
        boolean released;
        /** Whether it is {@link Instance#pause paused}. Under the pool's lock. */
        boolean paused;
        /** Whether it can't be paused, so that the sweep stops trying. Under the pool's lock. */
        boolean unpausable;
        /** Whether it is kept for a debugger after its activation failed, out of the pool. Under the pool's lock. */
        boolean kept;

        Slot(Instance instance, ColdStart cold, long startedMs) {
            this.instance = instance;
            this.cold = cold;
            this.idleSinceMs = startedMs;
        }

        /**
         * Counts one more activation, thawing the instance first if it is paused (0.1 ms); the first
         * one also takes the cold start's facts. Under the pool's lock, so that no pause comes between.
         */
        ColdStart take() {
            if (paused) {
                instance.resume();
                paused = false;
            }
            inFlight++;
            ColdStart facts = cold;
            cold = ColdStart.NONE;
            return facts;
        }
    }

    /** What a cold start hands to the activation that caused it. */
    private record ColdStart(Optional<Duration> initTime, List<String> logs) {
        static final ColdStart NONE = new ColdStart(Optional.empty(), List.of());
    }

    /** The invocation's parameters over the function's defaults; an array, as OpenWhisk has it, without them. */
    JsonNode withDefaults(JsonNode params) {
        if (defaults.isEmpty() || !params.isObject()) {
            return params;
        }
        ObjectNode merged = defaults.deepCopy();
        merged.setAll((ObjectNode) params);
        return merged;
    }

    Admission admit(Pending pending) {
        Slot target = null;
        ColdStart cold = ColdStart.NONE;
        boolean start = false;
        synchronized (this) {
            Placement.Decision d = Placement.decide(inFlight(), limits.concurrency(), starting, queue.size(),
                    limits.maxInstances(), context.settings().maxQueuePerFunction());
            switch (d.kind()) {
                case RUN -> {
                    target = ready.get(d.index());
                    cold = target.take();
                }
                case START_AND_QUEUE -> {
                    starting++;
                    start = true;
                    enqueue(pending, false);
                }
                case QUEUE -> enqueue(pending, false);
                case REJECT -> {
                    return new Admission.Rejected(Messages.tooManyRequests(revision.name(), queue.size(),
                            limits.maxInstances()));
                }
            }
        }
        if (target != null) {
            dispatch(target, pending, cold, pending.arrived); // it arrived just now: no second clock read
        } else if (start) {
            startInstance(true);
        } else {
            drain();
        }
        return new Admission.Accepted(pending.activationId, pending.completion, target != null);
    }

    /**
     * Puts the activation in the queue (at its head, when it goes back there), where it may wait no
     * longer than {@link Scaling#waitFor} its time limit. Under the pool's lock.
     */
    private void enqueue(Pending pending, boolean first) {
        pending.deadline = context.deadlines().arm(maxWait, () -> waitedTooLong(pending));
        if (first) {
            queue.addFirst(pending);
        } else {
            queue.addLast(pending);
        }
    }

    /** An activation still queued at the longest it may wait ends as a timeout that says how long it waited. */
    private void waitedTooLong(Pending pending) {
        int started;
        boolean noMemory;
        synchronized (this) {
            if (!queue.remove(pending)) {
                return; // on its way to an instance, or ended
            }
            started = ready.size();
            noMemory = waitingForMemory;
        }
        Instant now = context.clock().instant();
        long waitedMs = Duration.between(pending.arrived, now).toMillis();
        pending.begin(now, Optional.empty(), List.of());
        pending.onEnd(activation -> {
            metered(activation);
            context.record(activation);
        });
        if (noMemory) {
            pending.end(ActivationStatus.UNAVAILABLE, Pending.error(Messages.noWorkerMemory(revision.name(),
                    waitedMs, limits.memoryMb(), context.memory().budgetMb())));
        } else {
            pending.end(ActivationStatus.TIMEOUT, Pending.error(Messages.waitedTooLong(revision.name(), waitedMs,
                    started, limits.maxInstances(), maxWait.toMillis())));
        }
    }

    private int[] inFlight() {
        int[] counts = new int[ready.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = ready.get(i).inFlight;
        }
        return counts;
    }

    /**
     * Stops the instances idle for the function's idle timeout at {@code nowMs}, keeping its
     * minInstances started ({@link Idle#toStop}); when the last instance of an application stops, its
     * sandbox ends and gives its memory back.
     */
    void stopIdle(long nowMs) {
        List<Slot> stopping = new ArrayList<>();
        synchronized (this) {
            if (retired || ready.isEmpty()) {
                return;
            }
            long[] idleSince = new long[ready.size()];
            for (int i = 0; i < idleSince.length; i++) {
                idleSince[i] = ready.get(i).idleSinceMs;
            }
            for (int i : Idle.toStop(inFlight(), idleSince, starting, nowMs, limits.idleTimeout().toMillis(),
                    limits.minInstances())) {
                stopping.add(ready.get(i));
            }
            ready.removeAll(stopping);
            stopping.forEach(slot -> slot.deathCounted = true); // a stop, not a death to back off from
        }
        stopping.forEach(slot -> stop(slot, Messages.stoppedIdle(limits.idleTimeout())));
    }

    /**
     * Pauses the instances idle for {@code pauseAfterMs} at {@code nowMs}: their processes freeze where
     * they stand, and their next activation thaws them. Under the pool's lock, as {@link Slot#take} is.
     */
    synchronized void pauseIdle(long nowMs, long pauseAfterMs) {
        if (retired) {
            return;
        }
        for (Slot slot : ready) {
            if (slot.inFlight == 0 && !slot.paused && !slot.unpausable && nowMs - slot.idleSinceMs >= pauseAfterMs) {
                slot.paused = slot.instance.pause();
                slot.unpausable = !slot.paused;
            }
        }
    }

    /** Stops an instance the pool took out of its ready ones (and marked as no death): its memory goes back. */
    private void stop(Slot slot, String reason) {
        context.metrics().warmInstances(revision.spec().kind(), -1);
        release(slot);
        slot.instance.kill(reason);
    }

    /** Gives the slot's memory back to the node's budget, once. */
    private void release(Slot slot) {
        synchronized (this) {
            if (slot.released) {
                return;
            }
            slot.released = true;
        }
        context.memory().release(memoryMb);
    }

    /** An idle instance another function's start may stop for its memory. */
    record IdleInstance(long idleSinceMs, Runnable stopping) {
        /** Stops it, unless it took an activation meanwhile. */
        void stop() {
            stopping.run();
        }
    }

    /** The instances running nothing now, beyond the function's minInstances. */
    synchronized List<IdleInstance> idleInstances() {
        if (retired) {
            return List.of();
        }
        List<IdleInstance> idle = new ArrayList<>();
        int spare = ready.size() - limits.minInstances();
        for (Slot slot : ready) {
            if (slot.inFlight == 0 && idle.size() < spare) {
                idle.add(new IdleInstance(slot.idleSinceMs, () -> stopForMemory(slot)));
            }
        }
        return idle;
    }

    /** Stops the instance, if it still runs nothing, for another function's memory. */
    private void stopForMemory(Slot slot) {
        synchronized (this) {
            if (slot.inFlight > 0 || !ready.remove(slot)) {
                return;
            }
            slot.deathCounted = true; // a stop, not a death to back off from
        }
        stop(slot, Messages.STOPPED_FOR_MEMORY);
    }

    /** Tries again the start that found no memory, when activations still wait for it. */
    void retryStart() {
        synchronized (this) {
            if (!waitingForMemory) {
                return;
            }
        }
        drain();
    }

    /**
     * Samples its concurrency (activations under way and waiting) and starts the instances the
     * {@link Autoscaler} wants beyond those it has, at least its minInstances.
     */
    void autoscale() {
        int wanted;
        synchronized (this) {
            if (retired) {
                return;
            }
            int now = queue.size();
            for (Slot slot : ready) {
                now += slot.inFlight;
            }
            concurrency.add(now);
            wanted = Autoscaler.desired(concurrency.average((int) Autoscaler.STABLE.toSeconds()),
                    concurrency.average((int) Autoscaler.PANIC.toSeconds()), now, limits.concurrency(),
                    limits.minInstances(), limits.maxInstances());
        }
        startUpTo(wanted);
    }

    /** Starts instances until the function's minInstances are started or starting. */
    void provision() {
        startUpTo(limits.minInstances());
    }

    /** Starts instances, none waiting for them, until {@code wanted} are started or starting. */
    private void startUpTo(int wanted) {
        int count;
        synchronized (this) {
            if (retired || provisionFailed) {
                return;
            }
            count = Idle.toProvision(ready.size(), starting, wanted);
            starting += count;
        }
        for (int i = 0; i < count; i++) {
            startInstance(false);
        }
    }

    /** One of its started instances, the one started first; empty when it has none. */
    synchronized Optional<Instance> anyInstance() {
        return ready.stream().findFirst().map(slot -> slot.instance);
    }

    /** What it is doing, for {@code cove top}. */
    FunctionLoad load() {
        return new FunctionLoad(revision.name(), counts(), activationsEnded.get(), instancesStarted.get());
    }

    /** How many instances it has: starting, running activations, idle, and paused. */
    synchronized InstanceCounts counts() {
        int busy = 0;
        int paused = 0;
        for (Slot slot : ready) {
            busy += slot.inFlight > 0 ? 1 : 0;
            paused += slot.paused ? 1 : 0;
        }
        return new InstanceCounts(starting, busy, ready.size() - busy - paused, paused, queue.size());
    }

    /** Sends an activation to an instance at {@code now}; the caller has counted it in the instance's load. */
    private void dispatch(Slot slot, Pending pending, ColdStart cold, Instant now) {
        pending.deadline.cancel(); // its wait's
        pending.begin(now, cold.initTime(), cold.logs());
        pending.tier = slot.instance.tier();
        pending.onEnd(activation -> ended(slot, pending, activation));
        pending.onRerun(reason -> rerun(slot, pending, reason));
        long timeoutMs = limits.timeout().toMillis();
        pending.deadline = context.deadlines().arm(limits.timeout(), () -> timedOut(slot, pending, timeoutMs));
        slot.instance.run(new RunRequest(pending.activationId, pending.params, now.plusMillis(timeoutMs),
                context.depthOf(pending.activationId)), pending);
    }

    /**
     * Records an activation that {@code host}, an instance of another function, runs itself (a fused
     * call): it begins now and ends by its outcome, the host's death, or its own revision's time limit,
     * which stops the host as it would stop an instance of this function.
     */
    void adopt(Pending pending, Instance host) {
        Duration timeout = pending.revision.spec().limits().timeout();
        pending.begin(context.clock().instant(), Optional.empty(), List.of());
        pending.tier = host.tier();
        pending.onEnd(activation -> {
            pending.deadline.cancel();
            metered(activation);
            context.record(activation);
        });
        pending.deadline = context.deadlines().arm(timeout, () -> {
            if (pending.end(ActivationStatus.TIMEOUT, overTimeLimit(timeout.toMillis()))) {
                host.kill(stoppedFor(pending)); // not when its done came first: the host is not stuck
            }
        });
    }

    /**
     * The instance leaves the pool before the activation ends, so that nothing new is sent to it in
     * between; then it is killed, which ends its other activations as crashed, unless it is kept for a
     * debugger as the timeout left it.
     */
    private void timedOut(Slot slot, Pending pending, long timeoutMs) {
        if (pending.ended()) {
            return;
        }
        drop(slot);
        pending.end(ActivationStatus.TIMEOUT, overTimeLimit(timeoutMs));
        boolean kept;
        synchronized (this) {
            kept = slot.kept;
        }
        if (!kept) {
            slot.instance.kill(stoppedFor(pending));
        }
    }

    /**
     * Keeps the instance a failed activation ran on for a debugger ({@link KeptInstances}), when the
     * node keeps such failures, the function allows debugging, the instance is in a sandbox (not inline)
     * and it ran nothing else: out of the pool, paused as the failure left it (or dead, as a crash left
     * it), its sandbox held, its memory still counted while it lives, until it goes (then it is killed).
     */
    private boolean keptForDebugging(Slot slot, Pending pending, Activation activation) {
        boolean wanted = limits.debug()
                && (pending.keepForDebugging || context.settings().debugging().keeps(activation.status()));
        if (!wanted || !slot.instance.sandboxed()) {
            return false;
        }
        boolean alive = slot.instance.alive();
        synchronized (this) {
            // a worker that crashed is kept too, its sandbox as the crash left it, but not one the
            // platform killed as it retired the pool (a shutdown, a redeployment)
            if (slot.inFlight != 1 || slot.kept || !alive && retired) {
                return false;
            }
            slot.kept = true;
            slot.inFlight--;
            if (alive) {
                slot.deathCounted = true; // its end is the window's, not a death to back off from
            }
        }
        if (!alive) {
            countDeath(slot); // a crash is a death to back off from, kept or not
        }
        drop(slot);
        Runnable hold = slot.instance.holdSandbox();
        if (alive) {
            slot.instance.pause();
        }
        context.kept().keep(new KeptInstances.Kept(revision.namespace(), revision.name(), activation.activationId(),
                slot.instance, context.clock().millis(), () -> {
                    slot.instance.kill(Messages.DEBUG_WINDOW_OVER);
                    hold.run();
                }));
        return true;
    }

    private static JsonValue overTimeLimit(long timeoutMs) {
        return Pending.error(Messages.overTimeLimit(timeoutMs));
    }

    /** Why an instance was killed: an activation it ran timed out, and its code may still be running. */
    private static String stoppedFor(Pending pending) {
        return Messages.stoppedForTimeout(pending.activationId);
    }

    /** Counts the activation in the function's meters, which are made off the invocation path. */
    private void metered(Activation activation) {
        activationsEnded.incrementAndGet();
        if (meters.state() == Future.State.SUCCESS) {
            meters.resultNow().ended(activation);
        } else {
            meters.thenAccept(made -> made.ended(activation));
        }
    }

    private void ended(Slot slot, Pending pending, Activation activation) {
        pending.deadline.cancel();
        metered(activation);
        context.record(activation);
        if (!activation.status().success()) {
            context.replays().remember(pending.activationId, activation.start(), revision, pending.params,
                    pending.tier.map(verdict -> verdict.tier() == Tier.INLINE).orElse(false));
        }
        if (keptForDebugging(slot, pending, activation)) {
            drain(); // an instance starts for what waits, in the kept one's place
            return;
        }
        if (!slot.instance.alive()) {
            // a dying worker ends its activations before it reports its death: without this, the
            // caller's next request could reach it in between and fail with the previous one's crash,
            // or start the next instance without the pause this death calls for
            countDeath(slot);
            drop(slot);
        }
        boolean stop;
        boolean succeeded = activation.status() == ActivationStatus.SUCCESS
                || activation.status() == ActivationStatus.APPLICATION_ERROR;
        synchronized (this) {
            if (succeeded) {
                deathsSinceSuccess = 0;
            }
            slot.inFlight--;
            if (slot.inFlight == 0) {
                slot.idleSinceMs = context.clock().millis();
            }
            stop = retired && slot.inFlight == 0;
        }
        if (stop) {
            slot.instance.kill(Messages.REDEPLOYED);
        }
        drain();
    }

    /**
     * An activation the inline tier stopped before it did anything with effects (a Java function that
     * moved to the process tier): it goes back to the head of the queue, with a line in its logs
     * saying why, and runs again from the start on an instance of the function's new tier.
     */
    private void rerun(Slot slot, Pending pending, String reason) {
        pending.deadline.cancel();
        pending.log("stderr", reason + " It runs again in the process tier.");
        if (!slot.instance.alive()) {
            drop(slot);
        }
        synchronized (this) {
            slot.inFlight--;
            if (slot.inFlight == 0) {
                slot.idleSinceMs = context.clock().millis();
            }
            enqueue(pending, true);
        }
        drain();
    }

    /** Hands waiting activations to instances with room, and starts an instance when none has any. */
    private void drain() {
        boolean start = false;
        while (true) {
            Slot target;
            Pending next;
            ColdStart cold;
            synchronized (this) {
                if (queue.isEmpty()) {
                    break;
                }
                Placement.Decision d = Placement.next(inFlight(), limits.concurrency(), starting, queue.size(),
                        limits.maxInstances());
                if (d.kind() != Placement.Decision.Kind.RUN) {
                    if (d.kind() == Placement.Decision.Kind.START_AND_QUEUE && !retired) {
                        starting++;
                        start = true;
                    }
                    break;
                }
                target = ready.get(d.index());
                next = queue.pollFirst();
                cold = target.take();
            }
            dispatch(target, next, cold, context.clock().instant());
        }
        if (start) {
            startInstance(true);
        }
    }

    /**
     * Starts an instance, after a pause when the function's instances keep dying without an activation
     * succeeding in between (a crash loop, or a bomb invoked over and over): every start and end of a
     * sandbox is kernel work that the functions beside it wait behind, so a function that only ever
     * dies gets at most one new instance every {@link #MAX_BACKOFF}.
     */
    private void startInstance(boolean demanded) {
        Duration pause = backoff();
        if (pause.isZero()) {
            startInstanceNow(demanded);
        } else {
            // off the timer's thread: starting an instance may block for a moment
            context.deadlines().arm(pause, () -> CompletableFuture.runAsync(() -> startInstanceNow(demanded)));
        }
    }

    private synchronized Duration backoff() {
        if (deathsSinceSuccess < 2) {
            return Duration.ZERO;
        }
        int doublings = Math.min(deathsSinceSuccess - 2, 16);
        Duration pause = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return pause.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause;
    }

    /** @param demanded an activation waits for it (it gets the cold start's facts), else it keeps minInstances */
    private void startInstanceNow(boolean demanded) {
        int mb = memoryMb;
        if (!context.memory().tryReserve(mb)
                && !(context.evictor().free(mb, this) && context.memory().tryReserve(mb))) {
            synchronized (this) {
                starting--;
                waitingForMemory = true; // the sweep tries again; its waiting activations may time out meanwhile
            }
            return;
        }
        synchronized (this) {
            waitingForMemory = false;
        }
        context.metrics().coldStart(revision.spec().kind());
        instancesStarted.incrementAndGet();
        StartLogs logs = new StartLogs(context.clock(), Math.min(context.settings().maxLogBytes(),
                limits.logBytes()));
        Instant began = context.clock().instant();
        (inProcess.isPresent() ? context.runtimes().startInProcess(revision, logs, inProcess.get())
                : context.runtimes().start(revision, logs)).whenComplete((instance, failure) -> {
            if (failure != null) {
                context.memory().release(mb);
                startFailed(failure instanceof CompletionException ? failure.getCause() : failure, logs, demanded);
            } else {
                Instant now = context.clock().instant();
                context.metrics().started(revision.spec().kind(), Duration.between(began, now));
                started(new Slot(instance, demanded ? new ColdStart(Optional.of(Duration.between(began, now)), logs.lines())
                        : ColdStart.NONE, now.toEpochMilli()));
            }
        });
    }

    private void started(Slot slot) {
        boolean unwanted;
        synchronized (this) {
            starting--;
            provisionFailed = false;
            unwanted = retired && queue.isEmpty();
            if (!unwanted) {
                ready.add(slot);
            }
        }
        if (unwanted) {
            release(slot);
            slot.instance.kill(Messages.REDEPLOYED);
            return;
        }
        context.metrics().warmInstances(revision.spec().kind(), 1);
        slot.instance.onDeath(() -> died(slot));
        drain();
    }

    private void died(Slot slot) {
        countDeath(slot);
        drop(slot);
        release(slot);
        drain();
        provision();
    }

    private synchronized void countDeath(Slot slot) {
        if (!slot.deathCounted && !retired) {
            slot.deathCounted = true;
            deathsSinceSuccess++;
        }
    }

    /** Takes a dead or dying instance out of the pool at once, so nothing more is sent to it. */
    private void drop(Slot slot) {
        boolean removed;
        synchronized (this) {
            removed = ready.remove(slot);
        }
        if (removed) {
            context.metrics().warmInstances(revision.spec().kind(), -1);
        }
    }

    private void startFailed(Throwable failure, StartLogs logs, boolean demanded) {
        List<Pending> failed = new ArrayList<>();
        synchronized (this) {
            starting--;
            provisionFailed |= !demanded;
            if (ready.isEmpty() && starting == 0) {
                failed.addAll(queue);
                queue.clear();
            }
        }
        ActivationStatus status = ActivationStatus.PLATFORM_ERROR;
        String message = Messages.COULD_NOT_START;
        if (failure instanceof StartFailure f) {
            status = switch (f.fault()) {
                case FUNCTION -> ActivationStatus.DEVELOPER_ERROR;
                case TIMEOUT -> ActivationStatus.TIMEOUT;
                case PLATFORM -> ActivationStatus.PLATFORM_ERROR;
            };
            message = f.fault() == StartFailure.Fault.FUNCTION
                    ? Messages.failedToInitialise(f.getMessage()) : f.getMessage();
        }
        boolean first = true;
        Optional<TierVerdict> tier = inProcess.isPresent() && revision.spec().kind() == Kind.JAVA
                ? Optional.of(TierVerdict.process(inProcess.get())) : context.runtimes().tierOf(revision);
        for (Pending p : failed) {
            p.deadline.cancel(); // its wait's
            p.begin(context.clock().instant(), Optional.empty(), first ? logs.lines() : List.of());
            p.tier = tier;
            first = false;
            p.onEnd(activation -> {
                metered(activation);
                context.record(activation);
            });
            p.end(status, Pending.error(message));
        }
        drain();
    }

    /** No new work: idle instances stop now, busy ones when their activations end. */
    void retire() {
        List<Slot> idle = new ArrayList<>();
        synchronized (this) {
            retired = true;
            for (Slot s : ready) {
                if (s.inFlight == 0) {
                    idle.add(s);
                }
            }
        }
        idle.forEach(s -> s.instance.kill(Messages.REDEPLOYED));
    }

    void shutDown() {
        List<Pending> waiting;
        List<Slot> all;
        synchronized (this) {
            retired = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
            all = new ArrayList<>(ready);
        }
        for (Pending p : waiting) {
            p.deadline.cancel(); // its wait's
            p.onEnd(context::record);
            p.end(ActivationStatus.PLATFORM_ERROR, Pending.error(Messages.SHUTTING_DOWN));
        }
        all.forEach(s -> s.instance.kill(Messages.SHUTTING_DOWN));
    }

    /** Collects what a function prints while its code loads. */
    private static final class StartLogs implements RunListener {
        private final LogBuffer buffer;

        StartLogs(Clock clock, long maxBytes) {
            buffer = new LogBuffer(maxBytes, clock);
        }

        @Override
        public void log(String stream, String line) {
            buffer.add(stream, line);
        }

        @Override
        public void done(RunOutcome outcome) {
            // an init has no outcome of its own: the start's future carries it
        }

        List<String> lines() {
            return buffer.lines();
        }
    }
}
