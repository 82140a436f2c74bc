package dev.cove.core.runtime;

import dev.cove.core.registry.FunctionRevision;
import dev.cove.core.registry.FunctionSpec;
import dev.cove.core.registry.Kind;
import dev.cove.core.sandbox.SandboxFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runtimes a function can run in, and the only way to start an {@link Instance}.
 *
 * <p>Node and python functions run in worker processes; each runtime keeps a few stem cells (started
 * workers not yet specialised, each in a sandbox of its own) so that starting an instance is sending
 * one init frame. All workers of one application run in one sandbox ({@link AppSandboxes}): the first
 * takes a stem cell, the next ones start in its sandbox. Java functions load into the platform's own
 * JVM. Each worker connects to a Unix socket of its own in a private folder; the sockets are served by
 * Vert.x, so frames are read and written on event loops.
 */
public final class Runtimes implements AutoCloseable {

    /**
     * @param dataDir where code ({@code code/}), the worker programs ({@code runtimes/}) and the
     *     sandboxes' copies of code ({@code sandboxes/}) live
     * @param stemCellsPerRuntime how many idle workers each process runtime keeps started
     * @param maxResultBytes the largest result a function may return
     * @param maxLogBytes the most log bytes any activation keeps
     * @param sandboxed whether worker processes must run in sandboxes; when they must and can't,
     *     the process runtimes are off
     */
    public record Options(Path dataDir, int stemCellsPerRuntime, long maxResultBytes, long maxLogBytes,
            boolean sandboxed) {}

    /** The size of each sandbox's private /tmp. */
    private static final long SANDBOX_TMP_BYTES = 64L * 1024 * 1024;

    /** A deployment's code written and checked, waiting for the store to accept it. */
    public record StagedCode(Path dir, String main) {}

    private final Vertx vertx;
    private final Options options;
    private final CodeDirs code;
    private final Path runDir;
    private final WorkerChannel channel;
    private final ScheduledExecutorService spawner;
    private SandboxFactory sandboxes;
    private volatile Calls calls = Calls.NONE;
    private final Map<Kind, StemCells> pools = new EnumMap<>(Kind.class);
    private final AppSandboxes homes = new AppSandboxes();
    private final List<String> available = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();

    private Runtimes(Vertx vertx, Options options, Path runDir) {
        this.vertx = vertx;
        this.options = options;
        this.runDir = runDir;
        this.code = new CodeDirs(options.dataDir().resolve("code"), new JavaSupport());
        int maxFrame = (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(options.maxResultBytes(), options.maxLogBytes()) * 2 + 65536);
        this.channel = new WorkerChannel(vertx, maxFrame);
        this.spawner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cove-spawner");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Finds the interpreters, unpacks the worker programs, opens the workers' socket and starts the
     * stem cells. A runtime whose interpreter is missing is listed in {@link #unavailable()}.
     */
    public static Runtimes start(Vertx vertx, Options options) throws IOException {
        Path runDir = Files.createTempDirectory("cove-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Runtimes runtimes = new Runtimes(vertx, options, runDir);
        runtimes.discover();
        return runtimes;
    }

    private void discover() {
        ThreadOutput.install();
        available.add(Kind.JAVA.kindName() + " (in-process, Java " + Runtime.version().feature() + ")");
        Optional<String> noSandbox = chooseSandboxes();
        if (noSandbox.isPresent()) {
            for (Kind kind : List.of(Kind.NODEJS, Kind.PYTHON)) {
                unavailable.add(kind.kindName() + " is off: " + noSandbox.get());
            }
            return;
        }
        Path runtimesDir = options.dataDir().resolve("runtimes");
        List<ProcessRuntime> found = new ArrayList<>();
        for (Kind kind : List.of(Kind.NODEJS, Kind.PYTHON)) {
            ProcessRuntime.discover(kind, runtimesDir, unavailable).ifPresent(found::add);
        }
        List<Path> interpreters = found.stream().map(ProcessRuntime::executable).toList();
        for (ProcessRuntime rt : found) {
            StemCells cells = new StemCells(rt, channel, options.stemCellsPerRuntime(), spawner, sandboxes, runDir,
                    interpreters);
            pools.put(rt.kind(), cells);
            available.add(rt.describe());
            cells.prime();
        }
    }

    /** Bubblewrap sandboxes unless the operator said otherwise; answers why there are none, if so. */
    private Optional<String> chooseSandboxes() {
        if (!options.sandboxed()) {
            sandboxes = SandboxFactory.unconfined();
            return Optional.empty();
        }
        Optional<String> why = SandboxFactory.bubblewrapUnavailable();
        if (why.isPresent()) {
            return Optional.of("no sandbox can be made here (" + why.get()
                    + "); start with --no-sandbox to run functions unconfined");
        }
        try {
            sandboxes = SandboxFactory.bubblewrap(options.dataDir().resolve("sandboxes"),
                    "cove-" + ProcessHandle.current().pid(), SANDBOX_TMP_BYTES);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the sandboxes could not be prepared (" + e.getMessage() + ")");
        }
    }

    /** Where the calls functions make to other functions go from now on. */
    public void connect(Calls target) {
        this.calls = target;
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
        return kind == Kind.JAVA || kind == Kind.SEQUENCE || pools.containsKey(kind);
    }

    /** How many stem cells of a kind are waiting. */
    public int stemCells(Kind kind) {
        StemCells cells = pools.get(kind);
        return cells == null ? 0 : cells.idleCount();
    }

    /**
     * Writes, unpacks or compiles a deployment's code into a scratch folder. Blocks on disk and javac.
     *
     * @throws InvalidFunctionException with a message for the user when the code can't run
     */
    public StagedCode stage(String namespace, FunctionSpec spec) throws InvalidFunctionException {
        if (!supports(spec.kind())) {
            throw new InvalidFunctionException(unavailable.stream().filter(r -> r.startsWith(spec.kind().kindName() + " "))
                    .findFirst().orElse("the " + spec.kind().kindName() + " runtime is not available on this server"));
        }
        CodeDirs.Staged staged = code.stage(namespace, spec);
        return new StagedCode(staged.dir(), staged.main());
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
     * printed while the code loads goes to {@code initLogs}. Fails with {@link StartFailure}.
     */
    public CompletableFuture<Instance> start(FunctionRevision revision, RunListener initLogs) {
        Path entry;
        try {
            entry = code.ensure(revision);
        } catch (InvalidFunctionException | RuntimeException e) {
            return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.FUNCTION, e.getMessage()));
        }
        long timeoutMs = revision.spec().limits().timeout().toMillis();
        CompletableFuture<Instance> started = switch (revision.spec().kind()) {
            case JAVA -> startJava(revision, entry, initLogs);
            case SEQUENCE -> CompletableFuture.completedFuture(new SequenceInstance(revision,
                    sequenceComponents(revision.spec()), calls));
            case NODEJS, PYTHON -> startWorker(revision, entry, initLogs);
        };
        return started.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.TimeoutException) {
                started.thenAccept(i -> i.kill("The instance started too late."));
                return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.TIMEOUT,
                        "The function exceeded its time limit of " + timeoutMs + " ms during initialization."));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** A sequence's components, as its code lists them (a JSON array of function names). */
    public static List<String> sequenceComponents(FunctionSpec spec) {
        try {
            List<String> names = new java.util.ArrayList<>();
            Frames.JSON.readTree(spec.code().text()).forEach(n -> names.add(n.asText()));
            return names;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a sequence's components are not a JSON list: " + spec.name(), e);
        }
    }

    private CompletableFuture<Instance> startJava(FunctionRevision revision, Path entry, RunListener initLogs) {
        CompletableFuture<Instance> loaded = new CompletableFuture<>();
        Thread.ofVirtual().name("java-init-" + revision.name()).start(() -> {
            try {
                loaded.complete(JavaInstance.load(revision, entry, options.maxResultBytes(), initLogs, calls));
            } catch (StartFailure e) {
                loaded.completeExceptionally(e);
            }
        });
        return loaded;
    }

    private CompletableFuture<Instance> startWorker(FunctionRevision revision, Path entry, RunListener initLogs) {
        StemCells cells = pools.get(revision.spec().kind());
        if (cells == null) {
            return CompletableFuture.failedFuture(new StartFailure(StartFailure.Fault.PLATFORM,
                    "The " + revision.spec().kind().kindName() + " runtime is not available on this server."));
        }
        CompletableFuture<ProcessWorker> placed = sandboxes.shares()
                ? homes.place(revision.applicationPath(), cells) : cells.take();
        return placed.thenCompose(worker -> worker
                .init(revision, entry, options.maxResultBytes(), options.maxLogBytes(), initLogs, calls, code)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        worker.kill("The function failed to initialise.");
                        throw new java.util.concurrent.CompletionException(failure);
                    }
                    return (Instance) worker;
                }));
    }

    @Override
    public void close() {
        pools.values().forEach(StemCells::close);
        channel.close();
        spawner.shutdownNow();
        if (sandboxes != null) {
            sandboxes.close();
        }
        CodeDirs.deleteTree(runDir);
    }

    Vertx vertx() {
        return vertx;
    }

    /** The sandbox an application's workers run in now, if it has one. */
    Optional<dev.cove.core.sandbox.Sandbox> sandboxOf(String applicationPath) {
        return homes.of(applicationPath);
    }
}
