package dev.cove.core.runtime;

import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxEndedException;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.StartFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started, not yet specialised workers of one runtime, kept ready so that a function's first call
 * loads code into a waiting process instead of spawning one (OpenWhisk's prewarmed containers). Each
 * stem cell is the first worker of a sandbox of its own; the pool also starts workers in sandboxes
 * that run already ({@link #startIn}), for the further functions of an application.
 *
 * <p>One lock guards the counts. Spawning happens on the spawner thread, never on the caller's. A
 * worker that dies before saying hello counts as a failed start; after three in a row the pool waits
 * before trying again (doubling up to 30 s) and fails those waiting with the last thing the worker
 * printed, so a broken interpreter can't turn into a fork loop.
 */
final class StemCells implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StemCells.class);
    private static final int FAILURES_BEFORE_BACKOFF = 3;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long REFILL_DELAY_MS = 50;
    /**
     * How long after a worker's death before it was ready its sandbox's end counts as the cause: a
     * sandbox ends moments after its workers (its cgroups and folders are released first).
     */
    private static final long SANDBOX_END_GRACE_MS = 500;
    /** Cells taken within this count as the demand the pool keeps cells for. */
    static final long DEMAND_WINDOW_MS = 10_000;
    /** The most cells a pool keeps however great the demand: each is a sandbox and an interpreter waiting. */
    static final int MAX_CELLS = 8;
    /** Names the sandboxes of every pool (short: a socket's path must fit in 108 bytes). */
    private static final AtomicLong SANDBOXES = new AtomicLong();

    /** Replaced once Java's class-data archive is made: cells started from then on use it. */
    private volatile ProcessRuntime runtime;
    private final WorkerSockets channel;
    private final int target;
    private final ScheduledExecutorService spawner;
    private final SandboxFactory sandboxes;
    private final Path socketRoot;
    private final List<Path> interpreters;

    private final Deque<ProcessWorker> idle = new ArrayDeque<>();
    private final Deque<CompletableFuture<ProcessWorker>> waiters = new ArrayDeque<>();
    /** When cells were taken lately (nanoTime), oldest first: the demand. */
    private final Deque<Long> takenAt = new ArrayDeque<>();
    private int starting;
    private int failuresInARow;
    private boolean backingOff;
    private volatile boolean closed;

    /**
     * @param socketRoot the private folder that holds each sandbox's folder of sockets
     * @param interpreters every process runtime's interpreter, so that any of them can run in any sandbox
     */
    StemCells(ProcessRuntime runtime, WorkerSockets channel, int target, ScheduledExecutorService spawner,
            SandboxFactory sandboxes, Path socketRoot, List<Path> interpreters) {
        this.runtime = runtime;
        this.channel = channel;
        this.target = target;
        this.spawner = spawner;
        this.sandboxes = sandboxes;
        this.socketRoot = socketRoot;
        this.interpreters = List.copyOf(interpreters);
    }

    ProcessRuntime runtime() {
        return runtime;
    }

    /** Starts the cells from now on as {@code newer} says; the ones started already stay as they are. */
    void use(ProcessRuntime newer) {
        if (newer.kind() != runtime.kind()) {
            throw new IllegalArgumentException("a pool of " + runtime.kind().kindName() + " can't start "
                    + newer.kind().kindName() + " workers");
        }
        runtime = newer;
    }

    /** Fills the pool up to its target. */
    void prime() {
        refill();
    }

    /**
     * A stem cell now if one waits, else the next one to start. The replacement of a cell taken is
     * started a moment later: a starting interpreter takes tens of milliseconds of CPU, and on a small
     * machine it would slow down the very cold start that took the cell.
     */
    CompletableFuture<ProcessWorker> take() {
        CompletableFuture<ProcessWorker> taken = new CompletableFuture<>();
        boolean waiting;
        synchronized (this) {
            if (closed) {
                taken.completeExceptionally(shuttingDown());
                return taken;
            }
            takenAt.addLast(System.nanoTime());
            ProcessWorker ready = idle.pollFirst();
            waiting = ready == null;
            if (waiting) {
                waiters.addLast(taken);
            } else {
                taken.complete(ready);
            }
        }
        if (waiting) {
            refill();
        } else {
            spawner.schedule(this::refill, REFILL_DELAY_MS, TimeUnit.MILLISECONDS);
        }
        spawner.schedule(this::refill, DEMAND_WINDOW_MS + REFILL_DELAY_MS, TimeUnit.MILLISECONDS); // the demand falls
        return taken;
    }

    synchronized int idleCount() {
        return idle.size();
    }

    /** Starts the cells the demand wants beyond those there are, and stops those it no longer wants. */
    private void refill() {
        int toSpawn;
        List<ProcessWorker> surplus = new ArrayList<>();
        synchronized (this) {
            if (closed || backingOff) {
                return;
            }
            long since = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(DEMAND_WINDOW_MS);
            while (!takenAt.isEmpty() && takenAt.peekFirst() - since < 0) {
                takenAt.pollFirst();
            }
            int wanted = demanded(target, takenAt.size()) + waiters.size();
            while (idle.size() > wanted) {
                surplus.add(idle.pollLast());
            }
            toSpawn = wanted - idle.size() - starting;
            starting += Math.max(0, toSpawn);
        }
        surplus.forEach(cell -> cell.kill("the demand for stem cells fell"));
        for (int i = 0; i < toSpawn; i++) {
            spawner.execute(this::spawn);
        }
    }

    /**
     * How many cells to keep: the configured number, or as many as were taken within the last
     * {@link #DEMAND_WINDOW_MS}, so that a burst of new functions finds cells started in parallel rather
     * than waiting on one at a time; at most {@link #MAX_CELLS} (or the configured number, if more).
     */
    static int demanded(int configured, int takenLately) {
        return Math.max(configured, Math.min(takenLately, MAX_CELLS));
    }

    private void spawn() {
        ProcessWorker worker = new ProcessWorker(runtime, UUID.randomUUID().toString(), this::onHello,
                this::onDiedAsStemCell);
        try {
            Sandbox sandbox = newSandbox();
            try {
                start(worker, sandbox);
            } catch (IOException e) {
                sandbox.kill();
                throw e;
            }
        } catch (IOException e) {
            onFailedStart("could not start " + runtime.executable() + ": " + e.getMessage());
        }
    }

    private Sandbox newSandbox() throws IOException {
        String name = "s" + SANDBOXES.incrementAndGet();
        Path sockets = Files.createDirectories(socketRoot.resolve(name));
        try {
            Sandbox sandbox = sandboxes.start(new SandboxFactory.Launch(name, runtime.programDir(), sockets, interpreters));
            sandbox.ended().thenRun(() -> CodeDirs.deleteTree(sockets));
            return sandbox;
        } catch (IOException e) {
            CodeDirs.deleteTree(sockets);
            throw e;
        }
    }

    private void start(ProcessWorker worker, Sandbox sandbox) throws IOException {
        try {
            Path socket = channel.open(sandbox.socketDir(), worker.token(), worker);
            worker.start(sandboxes, sandbox, socket, () -> channel.forget(worker.token()));
        } catch (IOException e) {
            channel.forget(worker.token());
            throw e;
        }
    }

    /**
     * A worker of this runtime started in a sandbox that runs already, the caller's as soon as it has
     * said hello (it is no stem cell). Fails with a {@link StartFailure}, or with the
     * {@link SandboxEndedException} of a sandbox that is ending or that ended before the worker was ready.
     */
    CompletableFuture<ProcessWorker> startIn(Sandbox sandbox) {
        CompletableFuture<ProcessWorker> ready = new CompletableFuture<>();
        ProcessWorker worker = new ProcessWorker(runtime, UUID.randomUUID().toString(), ready::complete, w -> {
            channel.forget(w.token());
            StartFailure failure = new StartFailure(StartFailure.Fault.PLATFORM, "The " + runtime.kind().kindName()
                    + " runtime could not start a worker: it exited before it was ready"
                    + (w.lastRawLine().isEmpty() ? "" : ": " + w.lastRawLine()));
            // one that died with its whole sandbox (ended for a sibling's fault, say) is no fault of the
            // runtime's nor the platform's: the caller starts it in another sandbox
            sandbox.ended().copy().orTimeout(SANDBOX_END_GRACE_MS, TimeUnit.MILLISECONDS).whenComplete((v, notEnded) ->
                    ready.completeExceptionally(notEnded == null ? new SandboxEndedException() : failure));
        });
        spawner.execute(() -> {
            try {
                start(worker, sandbox);
            } catch (SandboxEndedException e) {
                ready.completeExceptionally(e);
            } catch (IOException e) {
                ready.completeExceptionally(new StartFailure(StartFailure.Fault.PLATFORM, "The "
                        + runtime.kind().kindName() + " runtime could not start a worker: " + e.getMessage()));
            }
        });
        return ready;
    }

    private void onHello(ProcessWorker worker) {
        CompletableFuture<ProcessWorker> waiter = null;
        boolean shuttingDown;
        synchronized (this) {
            starting--;
            failuresInARow = 0;
            shuttingDown = closed;
            if (!shuttingDown) {
                waiter = waiters.pollFirst();
                if (waiter == null) {
                    idle.addLast(worker);
                }
            }
        }
        if (shuttingDown) {
            worker.kill("The platform is shutting down.");
        } else if (waiter != null) {
            waiter.complete(worker);
        }
    }

    /** Only reached while the worker is still ours: whoever takes one installs its own listener. */
    private void onDiedAsStemCell(ProcessWorker worker) {
        channel.forget(worker.token());
        boolean wasIdle;
        synchronized (this) {
            wasIdle = idle.remove(worker);
        }
        if (!wasIdle && worker.saidHello()) {
            return; // taken in the moment it died: the taker finds it dead
        }
        if (wasIdle) {
            LOG.warn("an idle {} stem cell died: {}", runtime.kind().family(), worker.lastRawLine());
            refill();
        } else {
            onFailedStart("its worker exited before it was ready"
                    + (worker.lastRawLine().isEmpty() ? "" : ": " + worker.lastRawLine()));
        }
    }

    private void onFailedStart(String reason) {
        List<CompletableFuture<ProcessWorker>> failed = new ArrayList<>();
        long delay = 0;
        synchronized (this) {
            starting--;
            failuresInARow++;
            if (failuresInARow >= FAILURES_BEFORE_BACKOFF && !closed) {
                failed.addAll(waiters);
                waiters.clear();
                backingOff = true;
                delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(20, failuresInARow - FAILURES_BEFORE_BACKOFF));
            }
        }
        if (!closed) {
            LOG.warn("a {} worker failed to start: {}", runtime.kind().family(), reason);
        }
        StartFailure cause = new StartFailure(StartFailure.Fault.PLATFORM,
                "The " + runtime.kind().kindName() + " runtime could not start a worker: " + reason);
        failed.forEach(f -> f.completeExceptionally(cause));
        if (delay > 0) {
            spawner.schedule(this::endBackoff, delay, TimeUnit.MILLISECONDS);
        } else {
            refill();
        }
    }

    private void endBackoff() {
        synchronized (this) {
            backingOff = false;
        }
        refill();
    }

    @Override
    public void close() {
        List<ProcessWorker> toKill;
        List<CompletableFuture<ProcessWorker>> toFail;
        synchronized (this) {
            closed = true;
            toKill = new ArrayList<>(idle);
            idle.clear();
            toFail = new ArrayList<>(waiters);
            waiters.clear();
        }
        toKill.forEach(w -> w.kill("The platform is shutting down."));
        toFail.forEach(f -> f.completeExceptionally(shuttingDown()));
    }

    private static StartFailure shuttingDown() {
        return new StartFailure(StartFailure.Fault.PLATFORM, "The platform is shutting down.");
    }
}
