package dev.cove.core.runtime;

import dev.cove.core.model.Kind;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxProvider;
import dev.cove.sandbox.bubblewrap.BubblewrapProvider;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java worker's class-data archive, made by a real training run in a real bubblewrap sandbox (and
 * unconfined, where the class path is the host's): stem cells started with it map it and say hello;
 * a JVM given an archive it can't use (not an archive at all, or of another JDK's kind) starts
 * without it.
 */
class WorkerArchiveIT {
    static final long WAIT_S = 60;

    @TempDir
    Path dir;
    Vertx vertx;
    WorkerSockets channel;
    ScheduledExecutorService spawner;
    SandboxFactory sandboxes;
    ProcessRuntime java;
    final List<StemCells> pools = new ArrayList<>();

    void start(boolean sandboxed) throws IOException {
        vertx = Vertx.vertx();
        channel = new WorkerSockets(VertxTransport.workers(vertx), 1 << 20);
        spawner = Executors.newSingleThreadScheduledExecutor();
        Path staging = Files.createDirectories(dir.resolve("sandboxes"));
        SandboxProvider provider = sandboxed ? new BubblewrapProvider() : Unconfined.provider();
        sandboxes = provider.create(new SandboxProvider.Settings(staging, "cove-archive-" + ProcessHandle.current().pid(),
                16L << 20, staging.resolve("api").resolve("api.sock")));
        List<String> reasons = new ArrayList<>();
        java = ProcessRuntime.discover(Kind.JAVA, dir.resolve("runtimes"), reasons).orElseThrow(
                () -> new AssertionError(reasons));
        Files.createDirectories(dir.resolve("run"));
    }

    @AfterEach
    void stop() throws Exception {
        pools.forEach(StemCells::close);
        channel.close();
        spawner.shutdownNow();
        sandboxes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anArchiveIsMadeOnceAndStemCellsStartedWithItMapIt(boolean sandboxed) throws Exception {
        start(sandboxed);
        WorkerArchive archive = WorkerArchive.of(java);
        assertThat(archive.exists()).isFalse();
        Path stale = Files.writeString(java.programDir().resolve("java/cove-worker-24.0.1-0123456789abcdef.jsa"), "old");

        assertThat(archive.make(java, sandboxes, dir.resolve("run"), List.of(java.executable()))).isTrue();

        assertThat(archive.exists()).isTrue();
        assertThat(archive.file().getFileName().toString()).startsWith("cove-worker-" + Runtime.version() + "-");
        assertThat(archivesIn(java.programDir().resolve("java"))).as("%s is gone", stale).containsExactly(archive.file());
        assertThat(mapsOf(helloFrom(java.withJvmFlags(archive.useFlags(sandboxes, java)))))
                .contains(archive.file().getFileName().toString());
        FileTime jarTime = Files.getLastModifiedTime(java.workerProgram());
        assertThat(ProcessRuntime.discover(Kind.JAVA, dir.resolve("runtimes"), new ArrayList<>())).isPresent();
        assertThat(Files.getLastModifiedTime(java.workerProgram())).as("the jar is left alone").isEqualTo(jarTime);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aJvmStartsWithoutAnArchiveItCannotUse(boolean sandboxed) throws Exception {
        start(sandboxed);
        WorkerArchive archive = WorkerArchive.of(java);
        Files.createDirectories(archive.file().getParent());
        Files.writeString(archive.file(), "not an archive");
        assertThat(mapsOf(helloFrom(java.withJvmFlags(archive.useFlags(sandboxes, java)))))
                .as("not an archive").doesNotContain(archive.file().getFileName().toString());

        WorkerArchive older = WorkerArchive.of(java, Runtime.Version.parse("21.0.9"));
        Files.writeString(older.file(), "an archive of another JDK");
        assertThat(mapsOf(helloFrom(java.withJvmFlags(older.useFlags(sandboxes, java)))))
                .as("another JDK's kind of archive").doesNotContain(older.file().getFileName().toString());
    }

    /** A stem cell of the runtime, once it has said hello; answers its host pid. */
    long helloFrom(ProcessRuntime runtime) throws Exception {
        StemCells cells = new StemCells(runtime, channel, 1, spawner, sandboxes, dir.resolve("run"),
                List.of(runtime.executable()));
        pools.add(cells);
        cells.prime();
        ProcessWorker worker = cells.take().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(worker.saidHello()).isTrue();
        return hostPid(worker.token()).orElseThrow(() -> new AssertionError("no process of worker " + worker.token()));
    }

    static Optional<Long> hostPid(String token) throws IOException {
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return all.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> cmdline(p).contains("cove-worker.jar") && cmdline(p).contains(token))
                    .map(p -> Long.parseLong(p.getFileName().toString())).findFirst();
        }
    }

    static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String mapsOf(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    }

    static List<Path> archivesIn(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.filter(p -> p.getFileName().toString().startsWith("cove-worker-")).toList();
        }
    }

}
