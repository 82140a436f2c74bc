package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.StartFailure;
import dev.cove.core.spi.WorkerTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process and its connection. It starts as a stem cell (said hello, runs nothing), is
 * specialised once by {@link #init}, then runs activations until it dies or is killed.
 *
 * <p>Frames arrive on the connection's event loop, one at a time. This class keeps the worker's states
 * and its activations; the frames its function sends to reach the platform go to its parts: calls to
 * {@link CallRouter}, fused calls to {@link WorkerPeers}, cache operations to {@link CacheProxy}. The
 * worker is dead once its process has exited and its connection has closed: waiting for both means
 * that every log line sent before a crash has been read when the activations under way are failed.
 */
final class ProcessWorker implements Instance {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessWorker.class);
    private static final int MAX_RAW_LINE_BYTES = 16 * 1024;
    /** How long a worker that closed its socket has to be reported exited: a busy machine may take seconds. */
    private static final long EXIT_GRACE_MS = 5000;
    /** How long an exited worker's socket may stay open (a child that inherited it) before it counts as dead. */
    private static final long SOCKET_CLOSE_GRACE_MS = 200;
    /**
     * The status a Java worker exits with when its function runs the heap, sized for the function's
     * memory limit, out of memory (docs/worker-protocol.md, "The Java worker").
     */
    static final int JAVA_OUT_OF_HEAP = 251;

    private final ProcessRuntime runtime;
    private final String token;
    private final Consumer<ProcessWorker> onHello;
    private volatile Consumer<ProcessWorker> onDeath;
    private volatile String lastRawLine = "";
    private final Map<String, WorkerRun> runs = new ConcurrentHashMap<>();
    private final WorkerLink link = new WorkerLink();
    private final WorkerPeers peers;
    private final CallRouter calls;
    private final CacheProxy cache;
    private final CompletableFuture<Void> socketClosed = new CompletableFuture<>();

    private Sandbox.Worker process;
    private volatile long spawnedAt;
    private Sandbox sandbox;
    /** Where the sandbox's shell and tools are, for a debugger's terminal; empty without them. */
    private Optional<String> toolbox = Optional.empty();
    /** The folder of the function's code as the sandbox shows it, from {@link #init} on. */
    private volatile String codeDir;
    private final AtomicInteger terminals = new AtomicInteger();
    private Runnable release = () -> {};
    /**
     * Keeps the sandbox from ending with this worker's process, from {@link #init} until its death is
     * handled or the platform kills it: the activation a crash ended is ended first, and may keep the
     * sandbox for a debugger as the crash left it ({@link #holdSandbox}). Letting go twice is once.
     * Guarded by this.
     */
    private Runnable sandboxHold = () -> {};
    private volatile RunListener initListener;
    /** The function and what it reaches, from {@link #init} on: a stem cell has neither. */
    private volatile FunctionRevision revision;
    private volatile WorkerServices services;
    private volatile String initId;
    private volatile CompletableFuture<Void> ready;
    private volatile CompletableFuture<JsonNode> checked;
    private volatile String killReason;
    private volatile boolean dead;
    private volatile Optional<TierVerdict> tier = Optional.empty();

    ProcessWorker(ProcessRuntime runtime, String token, Consumer<ProcessWorker> onHello,
            Consumer<ProcessWorker> onDeath) {
        this.runtime = runtime;
        this.token = token;
        this.onHello = onHello;
        this.onDeath = onDeath;
        this.peers = new WorkerPeers(this, link, runs);
        this.calls = new CallRouter(this, link, runs, peers);
        this.cache = new CacheProxy(this, link, runs);
    }

    /** Who hears of this worker's death: the stem-cell pool first, the dispatcher once specialised. */
    synchronized void onDeath(Consumer<ProcessWorker> listener) {
        onDeath = listener;
        if (dead) {
            listener.accept(this);
        }
    }

    @Override
    public void onDeath(Runnable callback) {
        onDeath(w -> callback.run());
    }

    /** The last line the process wrote outside the protocol, to explain a worker that won't start. */
    String lastRawLine() {
        return lastRawLine;
    }

    ProcessRuntime runtime() {
        return runtime;
    }

    String token() {
        return token;
    }

    /**
     * Starts the worker in the sandbox (made by the factory), with an empty environment but for PATH
     * and LANG, and a stem cell's share of the sandbox's budget. Blocks for the fork. {@code release}
     * runs once the worker is dead (closing its socket).
     */
    void start(SandboxFactory sandboxes, Sandbox sandbox, Path socket, Runnable release) throws IOException {
        Map<String, String> env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8");
        List<String> command = runtime.command(sandboxes.programPath(runtime.programDir(), runtime.workerProgram()),
                sandboxes.socketPath(socket), token);
        this.release = release;
        this.sandbox = sandbox;
        this.toolbox = sandboxes.toolbox();
        spawnedAt = System.nanoTime();
        process = sandbox.spawn(new Sandbox.Spawn("w-" + token, command, env, ResourceLimits.STEM_CELL, MAX_RAW_LINE_BYTES,
                this::onRawLine));
        process.exit().thenRun(this::onExit);
    }

    @Override
    public boolean sandboxed() {
        return true;
    }

    /** Says which tier this worker is, for a Java function's; answers itself. */
    ProcessWorker tier(Optional<TierVerdict> verdict) {
        this.tier = verdict;
        return this;
    }

    @Override
    public Optional<TierVerdict> tier() {
        return tier;
    }

    /** The sandbox it runs in. */
    Sandbox sandbox() {
        return sandbox;
    }

    long pid() {
        return process.pid();
    }

    /** The function it was specialised to. */
    FunctionRevision function() {
        return revision;
    }

    WorkerServices services() {
        return services;
    }

    /** Called by the sockets when this worker's hello arrives. */
    void attach(WorkerTransport.Connection connection, JsonNode hello) {
        link.attach(connection);
        LOG.debug("{} worker {} is a stem cell, {} us after its spawn", runtime.kind().family(), hello.path("pid").asLong(),
                (System.nanoTime() - spawnedAt) / 1000);
        onHello.accept(this);
    }

    boolean saidHello() {
        return link.attached();
    }

    /**
     * Specialises this stem cell to a function: applies its limits to the sandbox, makes its code
     * visible there (file work, so off the caller's thread), and completes when the code has loaded.
     * What the function reaches through the platform is in {@code services}.
     */
    CompletableFuture<Void> init(FunctionRevision revision, Path entry, RunListener logs, WorkerServices services) {
        this.revision = revision;
        this.services = services;
        synchronized (this) {
            if (!dead) {
                sandboxHold = sandbox.hold();
            }
        }
        return CompletableFuture.supplyAsync(() -> prepare(revision, entry), services.fileWork())
                .thenCompose(inside -> sendInit(revision, inside, logs));
    }

    /** What the sandbox shows the worker: where its code is and its packages ({@code ""} without dependencies). */
    private record Inside(String entry, String packages) {}

    private Inside prepare(FunctionRevision revision, Path entry) {
        try {
            process.share(ResourceLimits.forFunction(revision.spec().limits().memoryMb()));
            if (revision.spec().limits().network() == Network.OUTBOUND) {
                sandbox.openOutbound();
            }
            String inside = sandbox.expose(WorkerPeers.codeKey(revision), entry);
            codeDir = Files.isDirectory(entry) ? inside : inside.substring(0, Math.max(1, inside.lastIndexOf('/')));
            return new Inside(inside, exposePackages(revision).orElse(""));
        } catch (IOException e) {
            throw new CompletionException(new StartFailure(StartFailure.Fault.PLATFORM,
                    "The function's sandbox could not be prepared: " + e.getMessage()));
        }
    }

    /**
     * The function's installed dependencies, shown in the sandbox under their installation's key (so
     * functions of one application that list the same packages share one copy); installed first when
     * missing (the data folder was moved, or pip's sources changed since the deployment).
     */
    private Optional<String> exposePackages(FunctionRevision revision) throws IOException {
        FunctionSpec spec = revision.spec();
        if (spec.dependencies().none()) {
            return Optional.empty();
        }
        PackageInstalls packages = services.packages();
        try {
            Path installed = packages.ensure(spec.kind(), spec.dependencies());
            return Optional.of(sandbox.expose(packages.key(spec.kind(), spec.dependencies()), installed));
        } catch (InvalidFunctionException e) {
            throw new CompletionException(new StartFailure(StartFailure.Fault.FUNCTION, e.getMessage()));
        }
    }

    private CompletableFuture<Void> sendInit(FunctionRevision revision, Inside inside, RunListener logs) {
        Limits limits = revision.spec().limits();
        ObjectNode frame = Frames.object()
                .put("type", "init")
                .put("id", "init-" + token)
                .put("namespace", revision.namespace())
                .put("name", revision.name())
                .put("version", revision.semver())
                .put("kind", revision.spec().kind().kindName())
                .put("entry", inside.entry())
                .put("main", revision.spec().main())
                .put("concurrency", limits.concurrency())
                .put("maxResultBytes", services.maxResultBytes())
                .put("maxLogBytes", Math.min(services.maxLogBytes(), limits.logBytes()))
                .put("timeoutMs", limits.timeout().toMillis())
                .put("memoryMb", limits.memoryMb())
                .put("maxCallDepth", Calls.MAX_CALL_DEPTH);
        if (!inside.packages().isEmpty()) {
            frame.put("packages", inside.packages());
        }
        ObjectNode env = frame.putObject("env");
        revision.spec().env().forEach(env::put);
        services.calls().apiEnvironment(revision).forEach(env::put);
        CompletableFuture<Void> done = new CompletableFuture<>();
        initId = frame.path("id").asText();
        initListener = logs;
        ready = done;
        link.send(frame);
        return done;
    }

    /**
     * Has this stem cell compile a source without running it (docs/worker-protocol.md, "check"):
     * completes with the checked frame's {@code error} object, or a missing node when the source
     * compiles. {@code file} names the source in what the compiler says; {@code module} asks node to
     * compile an ES module. A worker that dies first fails it with a {@link StartFailure}.
     */
    CompletableFuture<JsonNode> check(String source, String file, boolean module) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        checked = answer;
        if (dead) {
            answer.completeExceptionally(new StartFailure(StartFailure.Fault.PLATFORM, deathMessage()));
            return answer;
        }
        link.send(Frames.object().put("type", "check").put("id", "check-" + token).put("source", source)
                .put("file", file).put("module", module));
        return answer;
    }

    @Override
    public void run(RunRequest request, RunListener listener) {
        runs.put(request.activationId(), new WorkerRun(listener, revision));
        if (dead) {
            failRun(request.activationId(), deathMessage());
            return;
        }
        ObjectNode frame = Frames.object()
                .put("type", "run")
                .put("id", request.activationId());
        frame.set("params", request.params());
        frame.put("deadline", request.deadline().toEpochMilli());
        if (request.depth() > 1) {
            frame.put("depth", request.depth());
        }
        link.send(frame);
    }

    @Override
    public void kill(String reason) {
        if (killReason == null) {
            killReason = reason;
        }
        letGoOfSandbox(); // what the platform kills leaves nothing to keep: its sandbox may end with it, at once
        if (process != null && process.alive()) {
            process.kill();
        }
        link.close();
    }

    private void letGoOfSandbox() {
        Runnable hold;
        synchronized (this) {
            hold = sandboxHold;
        }
        hold.run();
    }

    @Override
    public boolean alive() {
        return !dead && killReason == null;
    }

    /**
     * A shell in the worker's sandbox, as its function sees it: the function's environment with the
     * toolbox first on PATH, in the folder of its code, under the function's limits.
     */
    @Override
    public Optional<Sandbox.Terminal> terminal(int rows, int columns, Consumer<byte[]> output) throws IOException {
        FunctionRevision function = revision;
        if (sandbox == null || toolbox.isEmpty() || function == null || codeDir == null) {
            return Optional.empty();
        }
        Map<String, String> env = new HashMap<>();
        function.spec().env().forEach((k, v) -> {
            if (v.indexOf('\t') < 0 && v.indexOf('\n') < 0) { // what the sandbox's keeper can't carry stays out
                env.put(k, v);
            }
        });
        env.put("PATH", toolbox.get() + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", "/tmp");
        env.put("TERM", "xterm-256color");
        env.put("LANG", "C.UTF-8");
        env.put("PS1", function.name() + ":\\w\\$ ");
        return Optional.of(sandbox.terminal(new Sandbox.TerminalSpawn("t-" + token + "-" + terminals.incrementAndGet(),
                List.of(toolbox.get() + "/sh"), env, codeDir,
                ResourceLimits.forFunction(function.spec().limits().memoryMb()), rows, columns, output)));
    }

    /**
     * Holds the sandbox and retires it: what starts next, this function's replacement or its siblings'
     * new workers, starts in a sandbox of its own, apart from what the failure left.
     */
    @Override
    public Runnable holdSandbox() {
        if (sandbox == null) {
            return () -> {};
        }
        Runnable release = sandbox.hold();
        sandbox.retire();
        return release;
    }

    @Override
    public boolean pause() {
        return process != null && alive() && process.freeze();
    }

    @Override
    public void resume() {
        if (process != null) {
            process.thaw();
        }
    }

    int runsUnderWay() {
        return runs.size();
    }

    void onFrame(Frames.Decoded frame) {
        switch (frame.type()) {
            case "log" -> onLog(frame.fields());
            case "done" -> onDone(frame);
            case "ready" -> onReady(frame.fields());
            case "checked" -> onChecked(frame.fields());
            case "call" -> calls.onCall(frame);
            case "publish" -> calls.onPublish(frame);
            case "cache" -> cache.onCache(frame.fields());
            case "fused" -> peers.onFused(frame.fields());
            default -> onProtocolViolation("sent an unknown frame type '" + frame.type() + "'");
        }
    }

    private void onLog(JsonNode frame) {
        String id = frame.path("id").isTextual() ? frame.path("id").asText() : null;
        String stream = "stderr".equals(frame.path("stream").asText()) ? "stderr" : "stdout";
        String line = frame.path("line").asText();
        RunListener listener = id == null ? null : id.equals(initId) ? initListener : listenerOf(runs.get(id));
        if (listener == null) {
            listener = soleListener().orElse(null);
        }
        if (listener != null) {
            listener.log(stream, line);
        } else {
            LOG.debug("{} worker {}: {}", runtime.kind().family(), pid(), line);
        }
    }

    private void onDone(Frames.Decoded frame) {
        WorkerRun run = runs.remove(frame.fields().path("id").asText());
        if (run == null) {
            return;
        }
        cache.countHits(run, frame.fields().path("cacheHits"));
        RunListener listener = run.listener;
        JsonNode failure = frame.fields().get("failure");
        if (failure != null && !failure.isNull()) {
            listener.done(new RunOutcome.Failed(failure.asText()));
        } else {
            listener.done(new RunOutcome.Returned(frame.result().filter(r -> !r.tree().isNull())
                    .orElseGet(() -> JsonValue.of(Frames.object()))));
        }
    }

    private void onReady(JsonNode frame) {
        CompletableFuture<Void> pending = ready;
        if (pending == null) {
            return;
        }
        JsonNode error = frame.get("error");
        if (error != null && !error.isNull()) {
            pending.completeExceptionally(new StartFailure(StartFailure.Fault.FUNCTION, error.asText()));
        } else {
            pending.complete(null);
        }
    }

    private void onChecked(JsonNode frame) {
        CompletableFuture<JsonNode> pending = checked;
        if (pending != null) {
            pending.complete(frame.path("error"));
        }
    }

    void onProtocolViolation(String what) {
        LOG.warn("{} worker {} {}; stopping it", runtime.kind().family(), pid(), what);
        kill("The function's worker " + what + ".");
    }

    private void onRawLine(String stream, String line) {
        lastRawLine = line;
        Optional<RunListener> listener = soleListener();
        if (listener.isPresent()) {
            listener.get().log(stream, line);
        } else if (initListener != null && runs.isEmpty() && ready != null && !ready.isDone()) {
            initListener.log(stream, line);
        } else {
            LOG.info("{} worker {} {}: {}", runtime.kind().family(), pid(), stream, line);
        }
    }

    /** The only activation under way, to which output that names none is attributed. */
    private Optional<RunListener> soleListener() {
        if (runs.size() != 1) {
            return Optional.empty();
        }
        return runs.values().stream().findFirst().map(WorkerRun::listener);
    }

    private static RunListener listenerOf(WorkerRun run) {
        return run == null ? null : run.listener;
    }

    /** A worker that exits closes its connection first: give it a moment to be reaped with its status. */
    void onSocketClosed() {
        retireSandboxUnlessAsked();
        socketClosed.complete(null);
        CompletableFuture.delayedExecutor(EXIT_GRACE_MS, TimeUnit.MILLISECONDS).execute(() -> {
            if (process.alive()) {
                kill("The function's worker closed its connection.");
            }
        });
    }

    /**
     * A worker that ends without the platform asking (it exited, crashed, or was killed by the kernel)
     * leaves its sandbox to end with its other workers: its replacement starts in a fresh one.
     */
    private void retireSandboxUnlessAsked() {
        if (killReason == null && sandbox != null) {
            sandbox.retire();
        }
    }

    private void onExit() {
        retireSandboxUnlessAsked();
        if (!link.attached()) {
            socketClosed.complete(null);
        }
        // a child that inherited the socket would keep it open: don't wait for it forever
        socketClosed.completeOnTimeout(null, SOCKET_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)
                .thenRun(this::die);
    }

    private synchronized void die() {
        if (dead) {
            return;
        }
        dead = true;
        link.close();
        String message = deathMessage();
        CompletableFuture<Void> pending = ready;
        if (pending != null) {
            pending.completeExceptionally(new StartFailure(StartFailure.Fault.FUNCTION, message));
        }
        CompletableFuture<JsonNode> check = checked;
        if (check != null) {
            check.completeExceptionally(new StartFailure(StartFailure.Fault.PLATFORM, message));
        }
        for (String id : runs.keySet()) {
            failRun(id, message);
        }
        if (services != null) {
            cache.close();
        }
        release.run();
        onDeath.accept(this);
        letGoOfSandbox();
    }

    private void failRun(String id, String message) {
        RunListener listener = listenerOf(runs.remove(id));
        if (listener != null) {
            listener.done(new RunOutcome.Crashed(message));
        }
    }

    private String deathMessage() {
        Optional<String> exceeded = process == null ? Optional.empty() : process.exceededLimit();
        if (exceeded.isPresent()) {
            return "The function exceeded " + exceeded.get() + ".";
        }
        if (killReason != null) {
            return killReason;
        }
        int status = process.exit().getNow(-1);
        if (status == JAVA_OUT_OF_HEAP && runtime.kind() == Kind.JAVA && revision != null) {
            return "The function exceeded its memory limit of " + revision.spec().limits().memoryMb() + " MB.";
        }
        return status > 128
                ? "The function's worker was killed by signal " + (status - 128) + "."
                : "The function's worker exited with status " + status + ".";
    }

    boolean exited() {
        return dead;
    }
}
