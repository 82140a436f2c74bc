package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCopies;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.StartFailure;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process and its socket. It starts as a stem cell (said hello, runs nothing), is
 * specialised once by {@link #init}, then runs activations until it dies or is killed.
 *
 * <p>Frames arrive on the socket's event loop. The worker is dead once its process has exited and its
 * socket has closed: waiting for both means that every log line sent before a crash has been read when
 * the activations under way are failed.
 */
final class ProcessWorker implements Instance {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessWorker.class);
    private static final int MAX_RAW_LINE_BYTES = 16 * 1024;
    private static final long SOCKET_CLOSE_GRACE_MS = 200;
    /**
     * The status a Java worker exits with when its function runs the heap, sized for the function's
     * memory limit, out of memory (docs/worker-protocol.md, "The Java worker").
     */
    static final int JAVA_OUT_OF_HEAP = 251;
    /**
     * Hard-linking a function's code into a sandbox is file work: kept off event loops, on threads kept
     * for a minute after their last task; starting a thread for each cold start took 0.4-0.5 ms of it
     * (reaching a kept one, 0.1-0.3 ms).
     */
    private static final java.util.concurrent.Executor FILE_WORK = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("cove-code-", 0).daemon().factory());

    private final ProcessRuntime runtime;
    private final String token;
    private final Consumer<ProcessWorker> onHello;
    private volatile Consumer<ProcessWorker> onDeath;
    private volatile String lastRawLine = "";
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    /** Every function version offered to this worker to run itself (peer frames), by name@semver, as fused frames name them. */
    private final Map<String, FunctionRevision> offered = new ConcurrentHashMap<>();
    /** The version of each function the worker holds as a peer now, as far as the platform knows. */
    private final Map<String, Integer> peers = new ConcurrentHashMap<>();
    /** The worker keeps copies of the cache entries it gets: it hears of their changes through this. */
    private final CacheCopies copies = this::uncache;
    private final CompletableFuture<Void> socketClosed = new CompletableFuture<>();

    private Sandbox.Worker process;
    private volatile long spawnedAt;
    private Sandbox sandbox;
    private Runnable release = () -> {};
    private volatile NetSocket socket;
    private volatile RunListener initListener;
    private volatile FunctionRevision revision;
    private volatile Calls calls = Calls.NONE;
    private volatile CodeDirs code;
    private volatile long maxCallBytes;
    private volatile long maxLogBytes;
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
        spawnedAt = System.nanoTime();
        process = sandbox.spawn(new Sandbox.Spawn("w-" + token, command, env, ResourceLimits.STEM_CELL, MAX_RAW_LINE_BYTES,
                this::onRawLine));
        process.exit().thenRun(this::onExit);
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

    /** Called by the channel when this worker's hello arrives. */
    void attach(NetSocket socket, JsonNode hello) {
        this.socket = socket;
        LOG.debug("{} worker {} is a stem cell, {} us after its spawn", runtime.kind().family(), hello.path("pid").asLong(),
                (System.nanoTime() - spawnedAt) / 1000);
        onHello.accept(this);
    }

    boolean saidHello() {
        return socket != null;
    }

    /**
     * Specialises this stem cell to a function: applies its limits to the sandbox, makes its code
     * visible there (file work, so off the caller's thread), and completes when the code has loaded.
     * The calls its function makes to others go to {@code calls}, with parameters of at most
     * {@code maxResultBytes}; an activation keeps at most {@code maxLogBytes} of logs, or its function's
     * limit when lower. Functions it may run itself (fused calls) have their code in {@code code}.
     */
    CompletableFuture<Void> init(FunctionRevision revision, Path entry, long maxResultBytes, long maxLogBytes,
            RunListener logs, Calls calls, CodeDirs code) {
        this.revision = revision;
        this.calls = calls;
        this.code = code;
        this.maxCallBytes = maxResultBytes;
        this.maxLogBytes = maxLogBytes;
        return CompletableFuture.supplyAsync(() -> prepare(revision, entry), FILE_WORK)
                .thenCompose(inside -> sendInit(revision, inside, maxResultBytes, logs));
    }

    private String prepare(FunctionRevision revision, Path entry) {
        try {
            process.share(ResourceLimits.forFunction(revision.spec().limits().memoryMb()));
            if (revision.spec().limits().network() == Network.OUTBOUND) {
                sandbox.openOutbound();
            }
            return sandbox.expose(codeKey(revision), entry);
        } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(new StartFailure(StartFailure.Fault.PLATFORM,
                    "The function's sandbox could not be prepared: " + e.getMessage()));
        }
    }

    private CompletableFuture<Void> sendInit(FunctionRevision revision, String entry, long maxResultBytes,
            RunListener logs) {
        Limits limits = revision.spec().limits();
        ObjectNode frame = Frames.object()
                .put("type", "init")
                .put("id", "init-" + token)
                .put("namespace", revision.namespace())
                .put("name", revision.name())
                .put("version", revision.semver())
                .put("kind", revision.spec().kind().kindName())
                .put("entry", entry)
                .put("main", revision.spec().main())
                .put("concurrency", limits.concurrency())
                .put("maxResultBytes", maxResultBytes)
                .put("maxLogBytes", Math.min(maxLogBytes, limits.logBytes()))
                .put("timeoutMs", limits.timeout().toMillis())
                .put("memoryMb", limits.memoryMb())
                .put("maxCallDepth", Calls.MAX_CALL_DEPTH);
        ObjectNode env = frame.putObject("env");
        revision.spec().env().forEach(env::put);
        calls.apiEnvironment(revision).forEach(env::put);
        CompletableFuture<Void> done = new CompletableFuture<>();
        initId = frame.path("id").asText();
        initListener = logs;
        ready = done;
        send(frame);
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
        send(Frames.object().put("type", "check").put("id", "check-" + token).put("source", source)
                .put("file", file).put("module", module));
        return answer;
    }

    @Override
    public void run(RunRequest request, RunListener listener) {
        runs.put(request.activationId(), new Run(listener, revision));
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
        send(frame);
    }

    private void send(ObjectNode frame) {
        NetSocket s = socket;
        if (s != null) {
            s.write(Frames.encode(frame));
        }
    }

    @Override
    public void kill(String reason) {
        if (killReason == null) {
            killReason = reason;
        }
        if (process != null && process.alive()) {
            process.kill();
        }
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean alive() {
        return !dead && killReason == null;
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
            case "call" -> onCall(frame);
            case "cache" -> onCache(frame);
            case "fused" -> onFused(frame.fields());
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
        Run run = runs.remove(frame.fields().path("id").asText());
        if (run == null) {
            return;
        }
        JsonNode hits = frame.fields().path("cacheHits");
        if (hits.isObject()) {
            calls.cacheHits(run.revision, hits.path("function").asLong(0), hits.path("app").asLong(0));
        }
        RunListener listener = run.listener;
        JsonNode failure = frame.fields().get("failure");
        if (failure != null && !failure.isNull()) {
            listener.done(new RunOutcome.Failed(failure.asText()));
        } else {
            listener.done(new RunOutcome.Returned(frame.result().filter(r -> !r.tree().isNull())
                    .orElseGet(() -> JsonValue.of(Frames.object()))));
        }
    }

    /**
     * A call to another function (docs/worker-protocol.md, "call"): only on behalf of an activation
     * this worker is running, answered with one {@code called} frame.
     */
    private void onCall(Frames.Decoded frame) {
        JsonNode fields = frame.fields();
        String callId = fields.path("id").asText("");
        JsonNode params = fields.path("params");
        Run caller = runs.get(fields.path("activation").asText(""));
        Optional<String> refusal = caller == null
                ? Optional.of("A function can call others only while one of its activations runs.")
                : refusal(fields, params, frame.length());
        if (refusal.isPresent()) {
            answer(callId, new Calls.CallOutcome.Refused(refusal.get()));
            return;
        }
        ObjectNode given = params.isObject() ? (ObjectNode) params : Frames.object();
        String name = fields.path("name").asText();
        boolean wait = fields.path("wait").asBoolean(true);
        calls.call(caller.revision, fields.path("activation").asText(), name, given, wait)
                .whenComplete((outcome, error) -> answer(callId, error == null
                        ? outcome : new Calls.CallOutcome.Refused("The call failed inside the platform.")));
        if (wait) {
            offer(name);
        }
    }

    /**
     * Offers the worker a function it may run itself from now on (docs/worker-protocol.md, "peer"): one
     * of the same application it can host, at the version calls reach now, offered once per version,
     * and not while the platform refuses invocations.
     */
    private void offer(String name) {
        Optional<FunctionRevision> callee = calls.revisionOf(revision, name);
        if (callee.isEmpty() || !hosts(callee.get()) || calls.refusing()) {
            return;
        }
        FunctionRevision peer = callee.get();
        Integer held = peers.put(name, peer.version());
        if (held != null && held == peer.version()) {
            return; // offered already: the worker could not load it, or its depth was at the limit
        }
        offered.put(peer.name() + "@" + peer.semver(), peer);
        CompletableFuture.supplyAsync(() -> {
            try {
                return sandbox.expose(codeKey(peer), code.ensure(peer));
            } catch (IOException | InvalidFunctionException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, FILE_WORK).whenComplete((inside, failure) -> {
            if (failure != null) {
                LOG.debug("{} could not be offered to worker {}: {}", peer.name(), pid(), failure.getMessage());
                return;
            }
            Limits limits = peer.spec().limits();
            ObjectNode frame = Frames.object()
                    .put("type", "peer")
                    .put("name", peer.name())
                    .put("version", peer.semver())
                    .put("entry", inside)
                    .put("main", peer.spec().main())
                    .put("kind", peer.spec().kind().kindName())
                    .put("timeoutMs", limits.timeout().toMillis())
                    .put("memoryMb", limits.memoryMb())
                    .put("maxLogBytes", Math.min(maxLogBytes, limits.logBytes()));
            frame.set("params", peer.spec().parameters());
            send(frame);
        });
    }

    /**
     * Whether this worker can run a function's calls itself: one of its own application, runtime,
     * environment (a process has one) and network, whose code is one source file (a folder brings its
     * own module paths), and whose memory limit is no more than this worker's, within which its calls
     * then run. The sandbox is the application's already.
     */
    private boolean hosts(FunctionRevision callee) {
        return callee.applicationPath().equals(revision.applicationPath())
                && callee.spec().limits().memoryMb() <= revision.spec().limits().memoryMb()
                && callee.spec().kind() == revision.spec().kind()
                && !callee.spec().code().binary()
                && callee.spec().env().equals(revision.spec().env())
                && callee.spec().limits().network() == revision.spec().limits().network();
    }

    /**
     * A version's folder in the sandbox, {@code /code/NAME@VERSION} as a {@link FileNames file name}, for a
     * worker's own code and its peers': one folder, not two, since a mkdir takes about 0.2 ms here, on
     * every cold start.
     */
    private static String codeKey(FunctionRevision revision) {
        return FileNames.of(revision.name() + "@" + revision.version());
    }

    /**
     * A call this worker runs itself (docs/worker-protocol.md, "fused"): the platform opens the callee's
     * activation, under the id both sides compute, and hears of it as of a run. A callee that is no
     * longer what calls would reach is still recorded, as the version that ran, and taken back from the
     * worker; so is every callee while the platform refuses invocations, so that a function calling in a
     * loop meets the refusal (a full store would otherwise queue its records without bound).
     */
    private void onFused(JsonNode fields) {
        String callerId = fields.path("activation").asText("");
        Run caller = runs.get(callerId);
        long n = fields.path("n").asLong(0);
        String id = fields.path("id").asText("");
        FunctionRevision callee = offered.get(fields.path("name").asText("") + "@" + fields.path("version").asText(""));
        if (caller == null || n <= caller.lastFused || !id.equals(fusedId(callerId, n)) || callee == null
                || runs.containsKey(id)) {
            onProtocolViolation("sent a fused frame the platform can't accept: " + fields);
            return;
        }
        caller.lastFused = n;
        runs.put(id, new Run(calls.fused(callerId, id, callee, this), callee));
        Optional<FunctionRevision> now = calls.revisionOf(revision, callee.name());
        if ((now.isEmpty() || now.get().version() != callee.version() || !hosts(now.get()) || calls.refusing())
                && peers.remove(callee.name(), callee.version())) {
            // unless a newer version was offered since, which replaced this one in the worker already
            send(Frames.object().put("type", "unpeer").put("name", callee.name()));
        }
    }

    /**
     * The id of the {@code n}th fused call of activation {@code callerId}: its first 12 characters (the
     * time, so that ids still sort by it) and 20 hex digits of SHA-256 of {@code callerId/n}.
     */
    static String fusedId(String callerId, long n) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((callerId + "/" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String prefix = callerId.length() >= 12 ? callerId.substring(0, 12) : callerId;
            return prefix + java.util.HexFormat.of().formatHex(digest, 0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A cache operation (docs/worker-protocol.md, "cache"), on behalf of an activation this worker runs. */
    private void onCache(Frames.Decoded frame) {
        ObjectNode fields = frame.fields();
        String id = fields.path("id").asText("");
        CompletableFuture<ObjectNode> answer;
        Run run = runs.get(fields.path("activation").asText(""));
        if (run == null) {
            answer = CompletableFuture.completedFuture(Frames.object()
                    .put("error", "A function can use its cache only while one of its activations runs."));
        } else {
            answer = calls.cache(run.revision, fields, Optional.of(copies));
        }
        answer.whenComplete((fieldsOut, error) -> {
            ObjectNode out = Frames.object().put("type", "cached").put("id", id);
            out.setAll(error == null ? fieldsOut : Frames.object().put("error", "The cache failed inside the platform."));
            NetSocket s = socket;
            if (s != null) {
                s.write(Frames.encode(out));
            }
        });
    }

    /** An entry this worker may keep a copy of changed (docs/worker-protocol.md, "uncache"). */
    private void uncache(CacheScope scope, Optional<String> key) {
        ObjectNode frame = Frames.object().put("type", "uncache");
        scope.function().ifPresentOrElse(name -> frame.put("scope", "function").put("function", name),
                () -> frame.put("scope", "app"));
        key.ifPresent(k -> frame.put("key", k));
        send(frame);
    }

    private Optional<String> refusal(JsonNode fields, JsonNode params, int length) {
        if (!fields.path("name").isTextual()) {
            return Optional.of("A call needs the name of the function to call.");
        }
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            return Optional.of("The parameters of a call must be a JSON object.");
        }
        if (length > maxCallBytes) {
            return Optional.of("The call is " + length + " bytes, over the limit of " + maxCallBytes + " bytes.");
        }
        return Optional.empty();
    }

    /** Written by hand: an ended call's result goes in as the bytes it already has. */
    private void answer(String callId, Calls.CallOutcome outcome) {
        NetSocket s = socket;
        if (s == null) {
            return;
        }
        StringBuilder head = new StringBuilder(96).append("{\"type\":\"called\",\"id\":").append(Frames.quote(callId));
        io.vertx.core.buffer.Buffer out = switch (outcome) {
            case Calls.CallOutcome.Refused r -> io.vertx.core.buffer.Buffer.buffer(
                    head.append(",\"error\":").append(Frames.quote(r.message())).append("}\n").toString());
            case Calls.CallOutcome.Accepted a -> io.vertx.core.buffer.Buffer.buffer(
                    head.append(",\"activationId\":").append(Frames.quote(a.activationId())).append("}\n").toString());
            case Calls.CallOutcome.Ended e -> io.vertx.core.buffer.Buffer.buffer(head
                    .append(",\"activationId\":").append(Frames.quote(e.activationId()))
                    .append(",\"success\":").append(e.success())
                    .append(",\"status\":").append(Frames.quote(e.status()))
                    .append(",\"result\":").toString()).appendBytes(e.result().bytes()).appendString("}\n");
        };
        s.write(out);
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
        return runs.values().stream().findFirst().map(Run::listener);
    }

    private static RunListener listenerOf(Run run) {
        return run == null ? null : run.listener;
    }

    /**
     * An activation under way in this worker: a run of its function, or a fused call to another function
     * ({@code revision}), whose own calls and cache are that function's.
     */
    private static final class Run {
        final RunListener listener;
        final FunctionRevision revision;
        /** The number of its last fused call; read and written on the socket's event loop only. */
        long lastFused;

        Run(RunListener listener, FunctionRevision revision) {
            this.listener = listener;
            this.revision = revision;
        }

        RunListener listener() {
            return listener;
        }
    }

    /** A worker that exits closes its socket first: give it a moment to be reaped with its status. */
    void onSocketClosed() {
        retireSandboxUnlessAsked();
        socketClosed.complete(null);
        CompletableFuture.delayedExecutor(SOCKET_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS).execute(() -> {
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
        if (socket == null) {
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
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
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
        calls.forget(copies);
        release.run();
        onDeath.accept(this);
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
