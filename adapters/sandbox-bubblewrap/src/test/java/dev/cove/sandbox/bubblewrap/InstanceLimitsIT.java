package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several workers of one sandbox, as the instances of an application's functions are: each is held
 * to its own limits, whatever its siblings use, and one that breaks its limits ends alone. Real
 * bubblewrap sandboxes with real cgroups; the workers are python programs.
 */
class InstanceLimitsIT {
    private static final long MB = 1024 * 1024;
    private static final long DEADLINE_S = 60;
    private static final Path PYTHON = Bubblewrap.findPython().orElseThrow();

    /** Allocates 8 MB at a time, touching every page, and says how much it holds after each. */
    private static final String HOG = """
            import sys
            kept = []
            while True:
                kept.append(bytearray(b"x" * (8 * 1024 * 1024)))
                print(len(kept) * 8, flush=True)
            """;
    /** Starts threads (each counts as a process against the limit) until refused, then waits. */
    private static final String BOMB = """
            import threading, time
            started = 0
            while True:
                try:
                    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
                    started += 1
                except RuntimeError:
                    time.sleep(0.001)
            """;
    /** The classic fork bomb: every process forks for ever, ignoring every failure to. */
    private static final String FORK_BOMB = """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """;
    private static final String QUIET = """
            import sys, time
            print(open("/proc/self/cgroup").read().replace("\\n", " "), flush=True)
            time.sleep(600)
            """;

    @TempDir
    Path dir;
    SandboxFactory factory;
    Path programs;
    Sandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        Path staging = dir.resolve("staging");
        factory = Bubblewrap.create(staging, "cove-limits-it-" + ProcessHandle.current().pid(), 64 * MB,
                staging.resolve("api").resolve("api.sock"));
        programs = Files.createDirectories(dir.resolve("programs"));
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        sandbox = factory.start(new SandboxFactory.Launch("app", programs, sockets, List.of(PYTHON)));
    }

    @AfterEach
    void stop() {
        sandbox.kill();
        factory.close();
    }

    /**
     * Three workers of 128 MB each allocate until stopped: each is stopped at 128 MB, not at the 384 MB
     * that the three have together, and says so.
     */
    @Test
    void eachWorkerIsStoppedAtItsOwnMemoryLimit() throws Exception {
        List<Started> hogs = List.of(spawn("hog-1", HOG, 128), spawn("hog-2", HOG, 128), spawn("hog-3", HOG, 128));

        for (Started hog : hogs) {
            assertThat(hog.worker.exit().get(DEADLINE_S, TimeUnit.SECONDS)).as(hog.name + "'s exit").isEqualTo(128 + 9);
            assertThat(hog.worker.exceededLimit()).as(hog.name).hasValue("its memory limit of 128 MB");
            assertThat(hog.held()).as("the MB %s held before it was stopped", hog.name).isBetween(8L, 128L);
        }
    }

    /**
     * A worker that reaches its limit of processes and threads is ended at once, and alone: its
     * sibling goes on, in the same sandbox, which takes new workers still.
     */
    @Test
    void aWorkerAtItsProcessLimitEndsAloneAndItsSiblingGoesOn() throws Exception {
        Started quiet = spawn("quiet", QUIET, 128);
        quiet.awaitLine();
        Started bomb = spawn("bomb", BOMB, 128);

        assertThat(bomb.worker.exit().get(DEADLINE_S, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        assertThat(bomb.worker.exceededLimit()).hasValue("its limit of 128 processes and threads");
        assertThat(quiet.worker.alive()).as("the bomb's sibling").isTrue();
        assertThat(sandbox.ended()).as("the sandbox").isNotDone();
        Started next = spawn("next", QUIET, 128);
        assertThat(next.awaitLine()).as("a worker started after the bomb").isNotEmpty();
    }

    /** Three fork bombs at once in one sandbox: each is ended at its own limit, and says so. */
    @Test
    void forkBombsAtOnceAreEachEndedAtTheirOwnLimit() throws Exception {
        List<Started> bombs = List.of(spawn("bomb-1", FORK_BOMB, 128), spawn("bomb-2", FORK_BOMB, 128),
                spawn("bomb-3", FORK_BOMB, 128));

        for (Started bomb : bombs) {
            assertThat(bomb.worker.exit().get(DEADLINE_S, TimeUnit.SECONDS)).as(bomb.name + "'s exit").isEqualTo(128 + 9);
            assertThat(bomb.worker.exceededLimit()).as(bomb.name).hasValue("its limit of 128 processes and threads");
        }
    }

    /** A worker is in a cgroup of its own from its program's first line, not in its keeper's. */
    @Test
    void aWorkerRunsInAGroupOfItsOwnFromItsFirstLine() throws Exception {
        Started quiet = spawn("first-line", QUIET, 128);

        assertThat(quiet.awaitLine()).contains("app-first-line");
    }

    private Started spawn(String name, String program, int memoryMb) throws Exception {
        Started started = new Started(name);
        Path file = Files.writeString(programs.resolve(name + ".py"), program);
        started.worker = sandbox.spawn(new Sandbox.Spawn(name, List.of(PYTHON.toString(), "-I", "-S",
                factory.programPath(programs, file)),
                Map.of(), ResourceLimits.forFunction(memoryMb), 4096, (stream, line) -> started.lines.add(line)));
        return started;
    }

    private static final class Started {
        final String name;
        final List<String> lines = new CopyOnWriteArrayList<>();
        Sandbox.Worker worker;

        Started(String name) {
            this.name = name;
        }

        /** The last number it printed: the MB it held. */
        long held() {
            return lines.stream().filter(l -> l.matches("\\d+")).mapToLong(Long::parseLong).max().orElse(0);
        }

        String awaitLine() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
            while (lines.isEmpty() && worker.alive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return Optional.ofNullable(lines.isEmpty() ? null : lines.get(0)).orElse("");
        }
    }
}
