package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCalls;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Messages;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.Tier;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxProvider;
import dev.cove.core.spi.StartFailure;
import dev.cove.core.spi.WorkerTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtimes a function can run in, and the only way to start an {@link Instance}.
 *
 * <p>Node, python and Java functions run in worker processes; each runtime keeps a few stem cells
 * (started workers not yet specialised, each in a sandbox of its own) so that starting an instance is
 * sending one init frame. All workers of one application run in one sandbox ({@link AppSandboxes}):
 * the first takes a stem cell, the next ones start in its sandbox. A Java function whose code passes
 * the inline check runs in the platform's own JVM instead, metered ({@link JavaTiers}). Each worker
 * connects to a Unix socket of its own in a private folder; the sockets are served by the
 * {@link WorkerTransport}, so frames are read and written on its event loops.
 */
public final class Runtimes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);

    /**
     * @param dataDir where code ({@code code/}), the worker programs ({@code runtimes/}), the
     *     sandboxes' copies of code ({@code sandboxes/}) and the REST API's socket for them
     *     ({@code api/api.sock}) live
     * @param stemCellsPerRuntime how many idle workers each process runtime keeps started
     * @param maxResultBytes the largest result a function may return
     * @param maxLogBytes the most log bytes any activation keeps
     * @param sandboxes what worker processes run in; when its sandboxes can't be made here, the
     *     process runtimes are off
     * @param packageSources where pip finds functions' dependencies, installed under {@code deps/}
     */
    public record Options(Path dataDir, int stemCellsPerRuntime, long maxResultBytes, long maxLogBytes,
            SandboxProvider sandboxes, PackageSources packageSources) {}

    /** The longest an instance's start waits for a worker to start (a stem cell, or one in its sandbox). */
    private static final Duration WORKER_WAIT = Duration.ofSeconds(60);
    /** The size of each sandbox's private /tmp. */
    private static final long SANDBOX_TMP_BYTES = 64L * 1024 * 1024;
    /** The runtimes whose functions run in worker processes (Java's when not inline). */
    private static final List<Kind> PROCESS_KINDS = List.of(Kind.NODEJS, Kind.PYTHON, Kind.JAVA);

    /** A deployment's code written and checked, waiting for the store to accept it. */
    public record StagedCode(Path dir, String main) {}

    private final WorkerTransport transport;
    private final Options options;
    private final CodeDirs code;
    private final PackageInstalls packages;
    private final InlineTier inline;
    private final JavaTiers tiers;
    private final Path runDir;
    private final WorkerSockets sockets;
    private final ScheduledExecutorService spawner;
    /**
     * Hard-linking a function's code into a sandbox is file work: kept off event loops, on threads kept
     * for a minute after their last task, since starting one for each cold start was a good part of it.
     */
    private final ExecutorService fileWork = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("cove-code-", 0).daemon().factory());
    private SandboxFactory sandboxes;
    private volatile Calls calls = Calls.NONE;
    private volatile CacheCalls cache = CacheCalls.NONE;
    private final Map<Kind, StemCells> pools = new EnumMap<>(Kind.class);
    private final AppSandboxes homes = new AppSandboxes();
    private final List<String> available = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();
    private Optional<WorkerArchive> archive = Optional.empty();
    /** Java's stem cells, a pool per memory limit; empty when the process tier is off. */
    private Optional<JavaStemCells> java = Optional.empty();

    private Runtimes(WorkerTransport transport, Options options, Path runDir, InlineTier inline) {
        this.transport = transport;
        this.options = options;
        this.runDir = runDir;
        this.code = new CodeDirs(options.dataDir().resolve("code"), new JavaSupport());
        this.packages = new PackageInstalls(options.dataDir().resolve("deps"), options.packageSources(),
                PackageInstalls.TIME_LIMIT);
        this.inline = inline;
        this.tiers = new JavaTiers(code, inline);
        int maxFrame = (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(options.maxResultBytes(), options.maxLogBytes()) * 2 + 65536);
        this.sockets = new WorkerSockets(transport, maxFrame);
        this.spawner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cove-spawner");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Finds the interpreters, unpacks the worker programs and starts the stem cells, which connect over
     * {@code transport} (closed with the runtimes). A runtime whose interpreter is missing is listed in
     * {@link #unavailable()}.
     *
     * @param inline runs Java functions inline; {@link InlineTier#unavailable(String)} for none
     */
    public static Runtimes start(WorkerTransport transport, Options options, InlineTier inline) throws IOException {
        Path runDir = Files.createTempDirectory("cove-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Runtimes runtimes = new Runtimes(transport, options, runDir, inline);
        runtimes.discover();
        return runtimes;
    }

    private void discover() {
        inline.unavailable().ifPresentOrElse(why -> unavailable.add(Kind.JAVA.kindName() + "'s inline tier is off: " + why),
                () -> available.add(Kind.JAVA.kindName() + " (inline, Java " + Runtime.version().feature() + ")"));
        Optional<String> noSandbox = chooseSandboxes();
        if (noSandbox.isPresent()) {
            for (Kind kind : PROCESS_KINDS) {
                unavailable.add(processTierName(kind) + " is off: " + noSandbox.get());
            }
            return;
        }
        Path runtimesDir = options.dataDir().resolve("runtimes");
        List<ProcessRuntime> found = new ArrayList<>();
        for (Kind kind : PROCESS_KINDS) {
            ProcessRuntime.discover(kind, runtimesDir, unavailable).ifPresent(found::add);
        }
        List<Path> interpreters = found.stream().map(ProcessRuntime::executable).toList();
        for (ProcessRuntime rt : found) {
            available.add(rt.describe());
            if (rt.kind() == Kind.JAVA) {
                java = Optional.of(new JavaStemCells(rt, r -> new StemCells(r, sockets, options.stemCellsPerRuntime(),
                        spawner, sandboxes, runDir, interpreters)));
                pools.put(Kind.JAVA, java.get().standard());
                attachArchive(java.get(), interpreters);
            } else {
                StemCells cells = new StemCells(rt, sockets, options.stemCellsPerRuntime(), spawner, sandboxes, runDir,
                        interpreters);
                pools.put(rt.kind(), cells);
                cells.prime();
            }
        }
    }

    /** Java's stem cells start from a class-data archive once there is one (made now if there is none). */
    private void attachArchive(JavaStemCells cells, List<Path> interpreters) {
        ProcessRuntime runtime = cells.runtimeFor(Limits.DEFAULT.memoryMb());
        try {
            archive = WorkerArchive.forRuntime(runtime);
            archive.ifPresent(a -> a.attach(runtime, cells::useArchive, sandboxes, runDir, interpreters));
        } catch (IOException e) {
            LOG.warn("Java's stem cells start without a class-data archive: {}", e.getMessage());
        }
    }

    /** How the operator reads of a runtime's workers: Java's are its process tier. */
    private static String processTierName(Kind kind) {
        return kind == Kind.JAVA ? kind.kindName() + "'s process tier" : kind.kindName();
    }

    /** The sandboxes the node was given, if they can be made here; answers why there are none, if so. */
    private Optional<String> chooseSandboxes() {
        Optional<String> why = options.sandboxes().unavailable();
        if (why.isPresent()) {
            return Optional.of("no sandbox can be made here (" + why.get()
                    + "); start with --no-sandbox to run functions unconfined");
        }
        try {
            SandboxProvider.Settings settings = new SandboxProvider.Settings(options.dataDir().resolve("sandboxes"),
                    "cove-" + ProcessHandle.current().pid(), SANDBOX_TMP_BYTES, apiSocket());
            sandboxes = options.sandboxes().create(settings);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the sandboxes could not be prepared (" + e.getMessage() + ")");
        }
    }

    /**
     * Where the server serves its REST API for the sandboxes (a Unix socket, alone in its folder):
     * each sandbox relays its own {@code __OW_API_HOST} there.
     */
    public Path apiSocket() {
        return options.dataDir().resolve("api").resolve("api.sock");
    }

    /** OpenWhisk's {@code __OW_API_HOST} for the workers, given the address the server listens on. */
    public String apiHost(String serverAddress) {
        return sandboxes == null ? serverAddress : sandboxes.apiHost(serverAddress);
    }

    /** Where the calls functions make to other functions, and to their cache, go from now on. */
    public void connect(Calls calls, CacheCalls cache) {
        this.calls = calls;
        this.cache = cache;
    }

    /** What isolates the workers, one line, e.g. for the operator at start. */
    public String isolation() {
        return sandboxes == null ? "none: node and python functions are off" : sandboxes.describe();
    }

    /** One line per runtime that can run functions, e.g. {@code nodejs:20 (node v20.20.2)}. */
    public List<String> available() {
        return Collections.unmodifiableList(available);
    }

    /** Why a runtime can't run functions, one line each. */
    public List<String> unavailable() {
        return Collections.unmodifiableList(unavailable);
    }

    public boolean supports(Kind kind) {
        return kind == Kind.SEQUENCE || pools.containsKey(kind) || kind == Kind.JAVA && inline.unavailable().isEmpty();
    }

    /** How many stem cells of a kind are waiting. */
    public int stemCells(Kind kind) {
        if (kind == Kind.JAVA) {
            return java.map(JavaStemCells::idleCount).orElse(0);
        }
        StemCells cells = pools.get(kind);
        return cells == null ? 0 : cells.idleCount();
    }

    /**
     * Writes, unpacks or compiles a deployment's code into a scratch folder; node and python code is
     * compiled in a stem cell ({@link SourceCheck}), and its dependencies installed (once for every
     * function that lists the same: {@link PackageInstalls}). Blocks on disk, javac, that stem cell,
     * and npm or pip.
     *
     * @throws InvalidFunctionException with a message for the user when the code can't run
     */
    public StagedCode stage(String namespace, FunctionSpec spec) throws InvalidFunctionException {
        try (Staging staging = staging()) {
            return staging.stage(namespace, spec);
        }
    }

    /** Stages the functions of one deployment (an application's), compiling each runtime's files in one stem cell. */
    public Staging staging() {
        return new Staging(new SourceCheck(pools));
    }

    /** One deployment's staging: {@link #stage} for each function, then close. */
    public final class Staging implements AutoCloseable {
        private final SourceCheck check;

        private Staging(SourceCheck check) {
            this.check = check;
        }

        /** As {@link Runtimes#stage}. */
        public StagedCode stage(String namespace, FunctionSpec spec) throws InvalidFunctionException {
            if (!supports(spec.kind())) {
                throw new InvalidFunctionException(unavailable.stream()
                        .filter(r -> r.startsWith(spec.kind().kindName() + " ")).findFirst()
                        .orElse("the " + spec.kind().kindName() + " runtime is not available on this server"));
            }
            CodeDirs.Staged staged = code.stage(namespace, spec);
            try {
                if (spec.kind() == Kind.JAVA) {
                    placeJava(spec, staged);
                } else {
                    check.check(spec, staged.dir());
                    if (!spec.dependencies().none()) {
                        packages.ensure(spec.kind(), spec.dependencies());
                    }
                }
            } catch (InvalidFunctionException | RuntimeException e) {
                CodeDirs.deleteTree(staged.dir());
                throw e;
            }
            return new StagedCode(staged.dir(), staged.main());
        }

        /** Stops the stem cells that compiled this deployment's code. */
        @Override
        public void close() {
            check.close();
        }
    }

    /** Decides a Java function's tier from its staged code, and refuses a tier this server can't give. */
    private void placeJava(FunctionSpec spec, CodeDirs.Staged staged) throws InvalidFunctionException {
        TierVerdict verdict;
        try {
            verdict = tiers.decide(spec.tier(), CodeDirs.entry(staged.dir(), spec), staged.main());
            JavaTiers.write(staged.dir(), verdict);
        } catch (IOException e) {
            throw new IllegalStateException("the staged code could not be checked: " + e.getMessage(), e);
        }
        if (verdict.tier() == Tier.PROCESS && !pools.containsKey(Kind.JAVA)) {
            throw new InvalidFunctionException("the function needs Java's process tier (" + verdict.reason().orElseThrow()
                    + "), which this server can't run: " + unavailable.stream()
                            .filter(r -> r.startsWith(processTierName(Kind.JAVA))).findFirst()
                            .orElse("no sandbox can be made here"));
        }
    }

    /** The tier a Java function's version runs in now; empty for other kinds. */
    public Optional<TierVerdict> tierOf(FunctionRevision revision) {
        return revision.spec().kind() == Kind.JAVA ? Optional.of(tiers.of(revision)) : Optional.empty();
    }

    /** Puts staged code where the revision's instances load it from. */
    public void install(StagedCode staged, FunctionRevision revision) {
        code.install(new CodeDirs.Staged(staged.dir(), staged.main()), revision);
    }

    /** Removes staged code whose deployment was refused. */
    public void discard(StagedCode staged) {
        CodeDirs.deleteTree(staged.dir());
    }

    /** Removes a deleted function's code. */
    public void forget(String namespace, String name) {
        code.removeAll(namespace, name);
    }

    /**
     * Starts an instance of the revision: specialises a stem cell, or loads the Java class. Output
     * printed while the code loads goes to {@code initLogs}. Fails with {@link StartFailure}. The
     * function's time limit bounds loading its code, not the wait for a worker to start (a JVM takes
     * far longer to start than any function's code to load): that wait is the platform's, bounded by
     * {@link #WORKER_WAIT}.
     */
    public CompletableFuture<Instance> start(FunctionRevision revision, RunListener initLogs) {
        Path entry;
        try {
            entry = code.ensure(revision);
        } catch (InvalidFunctionException | RuntimeException e) {
            return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.FUNCTION, e.getMessage()));
        }
        return switch (revision.spec().kind()) {
            case JAVA -> tiers.of(revision).tier() == Tier.INLINE ? startInline(revision, entry, initLogs)
                    : startWorker(revision, entry, initLogs, tierOf(revision));
            case SEQUENCE -> CompletableFuture.completedFuture(new SequenceInstance(revision,
                    revision.spec().sequenceComponents(), calls));
            case NODEJS, PYTHON -> startWorker(revision, entry, initLogs, Optional.empty());
        };
    }

    /**
     * Starts an instance of a Java function's version in the process tier whatever its verdict, for
     * {@code why}: one that runs inline leaves no sandbox when it fails, and a replay of its failure
     * is run where it can be debugged. Any other kind starts as {@link #start} starts it.
     */
    public CompletableFuture<Instance> startInProcess(FunctionRevision revision, RunListener initLogs, String why) {
        if (revision.spec().kind() != Kind.JAVA) {
            return start(revision, initLogs);
        }
        try {
            return startWorker(revision, code.ensure(revision), initLogs, Optional.of(TierVerdict.process(why)));
        } catch (InvalidFunctionException | RuntimeException e) {
            return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.FUNCTION, e.getMessage()));
        }
    }

    /** Loading the code within the function's time limit; an instance that comes later is killed. */
    private static <T extends Instance> CompletableFuture<Instance> loadedInTime(CompletableFuture<T> loading,
            FunctionRevision revision) {
        long timeoutMs = revision.spec().limits().timeout().toMillis();
        return loading.<Instance>thenApply(i -> i).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                loading.thenAccept(i -> i.kill("The instance started too late."));
                return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.TIMEOUT,
                        Messages.overTimeLimitAtInit(timeoutMs)));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** Loads a Java function inline; one whose code stops as it loads where a process would not starts there instead. */
    private CompletableFuture<Instance> startInline(FunctionRevision revision, Path entry, RunListener initLogs) {
        CompletableFuture<Instance> loaded = new CompletableFuture<>();
        Thread.ofVirtual().name("java-init-" + revision.name()).start(() -> {
            try {
                loaded.complete(inline.start(revision, entry, initLogs, functionCalls(),
                        reason -> tiers.move(revision, reason)));
            } catch (StartFailure | InlineTier.Moved e) {
                loaded.completeExceptionally(e);
            }
        });
        return loadedInTime(loaded, revision).exceptionallyCompose(e -> {
            if (unwrap(e) instanceof InlineTier.Moved moved) {
                initLogs.log("stderr", moved.getMessage() + " It runs in the process tier from now on.");
                return startWorker(revision, entry, initLogs, tierOf(revision));
            }
            return CompletableFuture.failedFuture(unwrap(e));
        });
    }

    /** What an inline instance may ask of the platform: the calls and the cache connected now. */
    private FunctionCalls functionCalls() {
        Calls connectedCalls = calls;
        CacheCalls connectedCache = cache;
        return new FunctionCalls() {
            @Override
            public CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target,
                    JsonNode params, boolean wait) {
                return connectedCalls.call(caller, callerId, target, params, wait);
            }

            @Override
            public CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request) {
                return connectedCache.handle(caller, request, Optional.empty());
            }

            @Override
            public CompletableFuture<String> publish(FunctionRevision caller, String callerId, String topic,
                    ObjectNode message) {
                return connectedCalls.publish(caller, callerId, topic, message);
            }
        };
    }

    /** A worker specialised to the revision, which says it runs in {@code tier} (a Java function's). */
    private CompletableFuture<Instance> startWorker(FunctionRevision revision, Path entry, RunListener initLogs,
            Optional<TierVerdict> tier) {
        StemCells cells = revision.spec().kind() == Kind.JAVA
                ? java.map(j -> j.forMemory(revision.spec().limits().memoryMb())).orElse(null)
                : pools.get(revision.spec().kind());
        if (cells == null) {
            return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.PLATFORM,
                    "The " + revision.spec().kind().kindName() + " runtime is not available on this server."));
        }
        CompletableFuture<ProcessWorker> placed = sandboxes.shares()
                ? homes.place(revision.applicationPath(), cells) : cells.take();
        return placed.orTimeout(WORKER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e) instanceof TimeoutException
                        ? new StartFailure(StartFailure.Fault.PLATFORM, "No " + revision.spec().kind().kindName()
                                + " worker could be started within " + WORKER_WAIT.toSeconds() + " s.")
                        : unwrap(e)))
                .thenCompose(worker -> loadedInTime(worker.tier(tier)
                        .init(revision, entry, initLogs, new WorkerServices(calls, cache, code, packages, fileWork,
                                options.maxResultBytes(), options.maxLogBytes()))
                        .handle((ok, failure) -> {
                            if (failure != null) {
                                worker.kill("The function failed to initialise.");
                                throw new CompletionException(failure);
                            }
                            return worker;
                        }), revision));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException ? e.getCause() : e;
    }

    @Override
    public void close() {
        archive.ifPresent(WorkerArchive::close);
        java.ifPresent(JavaStemCells::close);
        pools.values().forEach(StemCells::close);
        sockets.close();
        transport.close();
        spawner.shutdownNow();
        fileWork.shutdown();
        if (sandboxes != null) {
            sandboxes.close();
        }
        CodeDirs.deleteTree(runDir);
    }

    /** The sandbox an application's workers run in now, if it has one. */
    Optional<Sandbox> sandboxOf(String applicationPath) {
        return homes.of(applicationPath);
    }
}
