package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.cache.CacheCalls;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.SandboxEndedException;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxProvider;
import dev.cove.core.spi.StartFailure;
import dev.cove.sandbox.bubblewrap.BubblewrapProvider;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Faults a real worker can't be made to produce on purpose: a frame cut off by the worker's death, a
 * line that is not JSON, a worker that dies before saying hello, one whose sandbox ends before it is
 * ready. The worker here is a short scripted python program speaking just enough of the protocol.
 */
class MisbehavingWorkerIT {
    private static final String SCRIPT = """
            import json, os, socket, sys
            args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
            if MODE == "nohello":
                print("worker cannot start: broken install", flush=True)
                sys.exit(1)
            if MODE == "secondstalls":
                try:
                    os.close(os.open("/tmp/first", os.O_CREAT | os.O_EXCL))
                except FileExistsError:
                    import time; time.sleep(600)
            s = socket.socket(socket.AF_UNIX)
            s.connect(args["--socket"])
            f = s.makefile("rwb")
            def send(obj):
                f.write(json.dumps(obj).encode() + b"\\n"); f.flush()
            send({"type": "hello", "token": args["--token"], "runtime": "python", "pid": os.getpid()})
            for line in f:
                frame = json.loads(line)
                if frame["type"] == "init":
                    send({"type": "ready", "id": frame["id"]})
                elif MODE == "midframe":
                    send({"type": "log", "id": frame["id"], "stream": "stdout", "line": "half way"})
                    f.write(b'{"type":"done","id":"' + frame["id"].encode() + b'","res'); f.flush()
                    os._exit(7)
                elif MODE == "garbage":
                    f.write(b"this is not json\\n"); f.flush()
            """;

    @TempDir
    Path dir;
    Vertx vertx;
    WorkerSockets channel;
    ScheduledExecutorService spawner;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        channel = new WorkerSockets(VertxTransport.workers(vertx), 1 << 20);
        spawner = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void close() throws Exception {
        channel.close();
        spawner.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    StemCells cells(String mode) throws Exception {
        return cells(mode, Unconfined.provider().create(settings()));
    }

    SandboxProvider.Settings settings() {
        Path staging = dir.resolve("staging");
        return new SandboxProvider.Settings(staging, "cove-misbehaving-it-" + ProcessHandle.current().pid(), 1 << 20,
                staging.resolve("api").resolve("api.sock"));
    }

    StemCells cells(String mode, SandboxFactory sandboxes) throws Exception {
        Path programs = Files.createDirectories(dir.resolve("programs"));
        Path script = Files.writeString(programs.resolve(mode + ".py"), "MODE = \"" + mode + "\"\n" + SCRIPT);
        Path python = ProcessRuntime.findExecutable("python3").orElseThrow();
        return new StemCells(new ProcessRuntime(Kind.PYTHON, python, "scripted", programs, script, List.of("-I")),
                channel, 1, spawner, sandboxes, Files.createDirectories(dir.resolve("sockets")), List.of(python));
    }

    /** Takes a stem cell, specialises it, runs one activation and answers how it ended and what it logged. */
    RunOutcome runOnce(StemCells cells, List<String> logs) throws Exception {
        ProcessWorker worker = cells.take().get(10, TimeUnit.SECONDS);
        WorkerServices services = new WorkerServices(Calls.NONE, CacheCalls.NONE,
                new CodeDirs(dir.resolve("code"), new JavaSupport()),
                new PackageInstalls(dir.resolve("deps"), PackageSources.DEFAULT, PackageInstalls.TIME_LIMIT), spawner,
                1 << 20, 1 << 20);
        worker.init(new FunctionRevision("guest", FunctionSpec.of("f", Kind.PYTHON, Code.source(""), "main"), 1,
                Instant.now()), Path.of("/nonexistent"), null, services).get(10, TimeUnit.SECONDS);
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        worker.run(new RunRequest("a".repeat(32), JsonNodeFactory.instance.objectNode(), Instant.now().plusSeconds(10)),
                new Recording(logs, outcome));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerThatDiesMidFrameEndsItsActivationWithItsExitStatusAndKeepsItsLogs() throws Exception {
        try (StemCells cells = cells("midframe")) {
            List<String> logs = new CopyOnWriteArrayList<>();
            RunOutcome outcome = runOnce(cells, logs);
            assertThat(outcome).isEqualTo(new RunOutcome.Crashed("The function's worker exited with status 7."));
            assertThat(logs).containsExactly("half way");
        }
    }

    @Test
    void aWorkerThatSendsSomethingOtherThanJsonIsStopped() throws Exception {
        try (StemCells cells = cells("garbage")) {
            RunOutcome outcome = runOnce(cells, new CopyOnWriteArrayList<>());
            assertThat(outcome).isInstanceOf(RunOutcome.Crashed.class);
            assertThat(((RunOutcome.Crashed) outcome).message()).contains("sent a frame that is not valid");
        }
    }

    @Test
    void aWorkerThatNeverStartsFailsTheWaitersWithWhatItPrintedAndBacksOff() throws Exception {
        try (StemCells cells = cells("nohello")) {
            cells.prime();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> cells.take().get(20, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOf(StartFailure.class);
            StartFailure cause = (StartFailure) failed.getCause();
            assertThat(cause.fault()).isEqualTo(StartFailure.Fault.PLATFORM);
            assertThat(cause.getMessage()).contains("could not start a worker")
                    .contains("worker cannot start: broken install");
        }
    }

    /**
     * A worker started beside others in their sandbox dies before it is ready because the sandbox was
     * ended (for a sibling's fault, say): that is neither the runtime's fault nor the platform's, and
     * its caller is told to start it in another sandbox.
     */
    @Test
    void aWorkerWhoseSandboxEndsBeforeItIsReadyIsToBeStartedElsewhere() throws Exception {
        try (SandboxFactory sandboxes = new BubblewrapProvider().create(settings());
                StemCells cells = cells("secondstalls", sandboxes)) {
            ProcessWorker first = cells.take().get(20, TimeUnit.SECONDS);
            CompletableFuture<ProcessWorker> second = cells.startIn(first.sandbox());

            first.sandbox().kill();

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> second.get(20, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOf(SandboxEndedException.class);
        }
    }
}
