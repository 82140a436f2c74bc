package dev.cove.core.runtime;

import dev.cove.core.model.Kind;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java worker's class-data archive: the classes a stem cell loads and links before its hello,
 * made ahead of need, so that each Java stem cell maps them instead of loading them. It more than
 * halves a worker's start and its CPU (bench/README.md, "Java's process tier"): every stem cell pays
 * that start, and a cold start that finds none waiting pays it whole.
 *
 * <p>On JDK 25 and later it is an AOT cache ({@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}),
 * before that a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}). Made once per data folder, JDK and worker jar: its name in
 * {@code <data>/runtimes/java} holds the JDK's version and a hash of the jar, and an archive of
 * another JDK or jar is deleted when a new one is placed.
 *
 * <p>The archive records the class path as the training JVM saw it, and the jar's size (a CDS archive
 * its modification time too), and a JVM uses it only when they match. So the training run is the real worker,
 * started with the same flags through the same {@link SandboxFactory} as the stem cells (in a
 * sandbox, the jar at {@code /cove/runtimes/java/cove-worker.jar}; unconfined, at its host path), and
 * {@link ProcessRuntime#unpack} leaves an unchanged jar alone. The worker warms up before its hello
 * (the classes a cell needs); here the hello is answered by closing the socket, the worker exits on
 * the end of its input, and its JVM writes the archive at exit, into the one folder of its sandbox
 * that outlives it and that it may write, its sockets folder; from there it is moved into place.
 *
 * <p>Failure modes. The server never waits for it: cells started before it exists start without it,
 * and the pool switches to it once it is in place. A training run that fails, or takes longer than
 * {@link #TRAINING_LIMIT_S}, leaves no archive and a warning; the cells run without one and the next
 * start of the server tries again. A JVM that can't use the archive (the jar was changed by hand, a
 * file of that name came from elsewhere) starts without it: the JVM checks the archive and falls back
 * by itself, printing an error line, which the server logs.
 */
final class WorkerArchive {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerArchive.class);
    /** How long a training run may take: a start, a hello, and the JVM's writing of the archive. */
    static final long TRAINING_LIMIT_S = 120;
    private static final String PREFIX = "cove-worker-";
    private static final AtomicLong TRAININGS = new AtomicLong();

    /**
     * How a JDK makes and uses an archive; each logs errors only, so that a JVM falling back says why
     * without its warnings about classes it skips.
     */
    private record Flavor(String suffix, String trainFlag, String useFlag, String log) {
        static Flavor of(Runtime.Version jdk) {
            return jdk.feature() >= 25
                    ? new Flavor(".aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=", "-Xlog:aot=error,cds=error")
                    : new Flavor(".jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "-Xlog:cds=error");
        }
    }

    private final Path file;
    private final Flavor flavor;
    private volatile Optional<Sandbox> training = Optional.empty();
    private volatile boolean closed;

    private WorkerArchive(Path file, Flavor flavor) {
        this.file = file;
        this.flavor = flavor;
    }

    /** The archive of this JDK (the one the workers run on) for the runtime's worker jar. */
    static WorkerArchive of(ProcessRuntime runtime) throws IOException {
        return of(runtime, Runtime.version());
    }

    static WorkerArchive of(ProcessRuntime runtime, Runtime.Version jdk) throws IOException {
        Path jar = runtime.workerProgram();
        Flavor flavor = Flavor.of(jdk);
        return new WorkerArchive(jar.resolveSibling(PREFIX + jdk + "-" + hash(jar) + flavor.suffix()), flavor);
    }

    /** Where the archive is, or will be, on the host. */
    Path file() {
        return file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The flags that make a worker use the archive, as the sandbox sees it. */
    List<String> useFlags(SandboxFactory sandboxes, ProcessRuntime runtime) {
        return List.of(flavor.useFlag() + sandboxes.programPath(runtime.programDir(), file), flavor.log());
    }

    /**
     * Hands the flags that use the archive to {@code use}: at once when it exists, else once a training
     * run of {@code runtime} (started here, on a thread of its own) has made it. Never blocks for the
     * training.
     */
    void attach(ProcessRuntime runtime, Consumer<List<String>> use, SandboxFactory sandboxes, Path socketRoot,
            List<Path> interpreters) {
        if (exists()) {
            use.accept(useFlags(sandboxes, runtime));
            return;
        }
        Thread.ofVirtual().name("cove-worker-archive").start(() -> {
            if (make(runtime, sandboxes, socketRoot, interpreters)) {
                use.accept(useFlags(sandboxes, runtime));
            }
        });
    }

    /**
     * Makes the archive by a training run of the worker in a sandbox of its own; answers whether it is
     * in place. Blocks for the run (seconds).
     */
    boolean make(ProcessRuntime runtime, SandboxFactory sandboxes, Path socketRoot, List<Path> interpreters) {
        String name = "a" + TRAININGS.incrementAndGet();
        Path dir = socketRoot.resolve(name);
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            Sandbox sandbox = sandboxes.start(new SandboxFactory.Launch(name, runtime.programDir(), dir, interpreters));
            training = Optional.of(sandbox);
            try {
                if (closed) {
                    throw new IOException("the platform is shutting down");
                }
                Path written = train(runtime, sandboxes, sandbox, dir);
                place(written);
                LOG.info("made the Java worker's class-data archive {} in {} ms", file.getFileName(),
                        (System.nanoTime() - started) / 1_000_000);
                return true;
            } finally {
                sandbox.kill();
            }
        } catch (IOException | RuntimeException e) {
            if (closed) {
                LOG.debug("the class-data archive's training stopped with the platform: {}", e.toString());
            } else {
                LOG.warn("Java's stem cells start without a class-data archive: {}", e.toString());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            CodeDirs.deleteTree(dir);
        }
    }

    /** Runs the worker until it has said hello and exited; answers the archive it wrote. */
    private Path train(ProcessRuntime runtime, SandboxFactory sandboxes, Sandbox sandbox, Path dir)
            throws IOException, InterruptedException {
        Path socket = dir.resolve("train.sock");
        Path output = dir.resolve("archive" + flavor.suffix());
        String token = UUID.randomUUID().toString();
        ProcessRuntime training = runtime.withJvmFlags(List.of(flavor.trainFlag() + sandboxes.socketPath(output),
                flavor.log()));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Sandbox.Worker worker = sandbox.spawn(new Sandbox.Spawn("w-" + token,
                    training.command(sandboxes.programPath(runtime.programDir(), runtime.workerProgram()),
                            sandboxes.socketPath(socket), token),
                    Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8"), ResourceLimits.STEM_CELL, 16 * 1024,
                    (stream, line) -> LOG.debug("the Java worker's training run {}: {}", stream, line)));
            worker.exit().thenRun(() -> closeQuietly(server)); // a worker that dies before its hello frees accept()
            awaitHello(server);
            int status = worker.exit().get(TRAINING_LIMIT_S, TimeUnit.SECONDS);
            if (status != 0 || !Files.isRegularFile(output) || Files.size(output) == 0) {
                throw new IOException("its training run ended with status " + status + " and no archive");
            }
            return output;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("its training run did not end within " + TRAINING_LIMIT_S + " s", e);
        }
    }

    /** Waits for the worker's hello, then closes its connection: the worker exits, writing the archive. */
    private static void awaitHello(ServerSocketChannel server) throws IOException {
        try (SocketChannel connection = server.accept()) {
            if (connection.read(ByteBuffer.allocate(4096)) < 0) {
                throw new IOException("its training run closed its connection without a hello");
            }
        }
    }

    /** Moves the archive into place in one step, and deletes the archives of other JDKs and jars. */
    private void place(Path written) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".archive", ".tmp");
        try {
            Files.copy(written, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (Stream<Path> all = Files.list(file.getParent())) {
            for (Path old : all.filter(p -> p.getFileName().toString().startsWith(PREFIX) && !p.equals(file)).toList()) {
                Files.deleteIfExists(old);
            }
        }
    }

    /** Ends a training run under way: the platform is shutting down. */
    void close() {
        closed = true;
        training.ifPresent(Sandbox::kill);
    }

    private static void closeQuietly(ServerSocketChannel server) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("could not close the training run's socket", e);
        }
    }

    private static String hash(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The archive of this runtime if it has one to make (Java's, unless its flags were given by hand). */
    static Optional<WorkerArchive> forRuntime(ProcessRuntime runtime) throws IOException {
        return runtime.kind() == Kind.JAVA && ProcessRuntime.givenJvmFlags().isEmpty()
                ? Optional.of(of(runtime)) : Optional.empty();
    }
}
