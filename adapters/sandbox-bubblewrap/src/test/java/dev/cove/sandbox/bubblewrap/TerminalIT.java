package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shell on a terminal inside a real sandbox, beside a worker, with the toolbox's busybox: what a
 * person debugging a function types, and what the sandbox lets them see.
 */
class TerminalIT {
    private static final long MB = 1024 * 1024;
    private static final long DEADLINE_S = 30;
    private static final Path PYTHON = Bubblewrap.findPython().orElseThrow();
    /** Leaves a file in /tmp, says so, and waits. */
    private static final String WORKER = """
            import time
            open("/tmp/left-by-the-worker", "w").write("as the failure left it")
            print("ready", flush=True)
            time.sleep(600)
            """;

    @TempDir
    Path dir;
    SandboxFactory factory;
    Sandbox sandbox;
    Sandbox.Worker worker;
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        Path staging = dir.resolve("staging");
        factory = Bubblewrap.create(staging, "cove-terminal-it-" + ProcessHandle.current().pid(), 64 * MB,
                staging.resolve("api").resolve("api.sock"));
        Path programs = Files.createDirectories(dir.resolve("programs"));
        sandbox = factory.start(new SandboxFactory.Launch("app", programs, Files.createDirectories(dir.resolve("sockets")),
                List.of(PYTHON)));
        Path file = Files.writeString(programs.resolve("worker.py"), WORKER);
        StringBuilder said = new StringBuilder();
        worker = sandbox.spawn(new Sandbox.Spawn("worker", List.of(PYTHON.toString(), "-I", "-S",
                factory.programPath(programs, file)), Map.of(), ResourceLimits.forFunction(128), 4096,
                (stream, line) -> {
                    synchronized (said) {
                        said.append(line);
                    }
                }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (!said.toString().contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(10); // the worker's first line is announced nowhere else
        }
    }

    @AfterEach
    void stop() {
        sandbox.kill();
        factory.close();
    }

    private Sandbox.Terminal terminal() throws Exception {
        String toolbox = factory.toolbox()
                .orElseThrow(() -> new AssertionError("no toolbox: ./test installs busybox-static"));
        return sandbox.terminal(new Sandbox.TerminalSpawn("shell", List.of(toolbox + "/sh"),
                Map.of("PATH", toolbox + ":/usr/bin", "TERM", "dumb", "PS1", "$ "), "/tmp",
                ResourceLimits.forFunction(128), 24, 80, bytes -> {
                    synchronized (screen) {
                        screen.writeBytes(bytes);
                    }
                }));
    }

    private String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the terminal showed once it shows what is wanted (a terminal's output is announced nowhere else). */
    private String await(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (!wanted.test(screen()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(wanted.test(screen())).as("the terminal showed:%n%s", screen()).isTrue();
        return screen();
    }

    /** Whether a process of this host runs with this command line (its arguments NUL-separated). */
    private static boolean running(String commandLine) throws Exception {
        try (var pids = Files.list(Path.of("/proc"))) {
            return pids.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .equals(commandLine + "\0");
                } catch (IOException e) {
                    return false; // gone meanwhile
                }
            });
        }
    }

    private static void type(Sandbox.Terminal terminal, String keys) throws Exception {
        terminal.type(keys.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aShellSeesTheSandboxAsItsWorkerDoesAndNothingOfTheHost() throws Exception {
        Sandbox.Terminal shell = terminal();
        type(shell, "echo sum=$((6*7)); cat /tmp/left-by-the-worker; echo; stty size\n");
        await(s -> s.contains("sum=42") && s.contains("as the failure left it") && s.contains("24 80"));

        type(shell, "ps -o pid,user,args; id -u; echo ps-$((1+1))\n"); // ps-2 is no echo of what was typed
        String ps = await(s -> s.contains("ps-2"));
        assertThat(ps).contains("/cove/runtimes/worker.py").contains("65534")
                .doesNotContain("java").doesNotContain("bwrap").doesNotContain("/sbin/init");

        shell.resize(40, 100);
        type(shell, "stty size\n");
        await(s -> s.contains("40 100"));

        type(shell, "exit 3\n");
        assertThat(shell.exit().get(DEADLINE_S, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(worker.alive()).as("the worker beside the shell").isTrue();
    }

    @Test
    void ctrlCReachesWhatTheShellRuns() throws Exception {
        Sandbox.Terminal shell = terminal();
        type(shell, "sleep 613\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (!running("sleep\0" + "613") && System.nanoTime() < deadline) {
            Thread.sleep(10); // the shell's child is seen on this host's /proc, nowhere else
        }
        shell.type(new byte[] {3}); // Ctrl-C
        type(shell, "echo after=$?\n");
        await(s -> s.contains("after=130"));
        shell.kill();
        assertThat(shell.exit().get(DEADLINE_S, TimeUnit.SECONDS)).isEqualTo(128 + 9);
    }

    @Test
    void aHeldSandboxOutlivesItsLastWorkerForItsTerminals() throws Exception {
        Runnable release = sandbox.hold();
        worker.kill();
        worker.exit().get(DEADLINE_S, TimeUnit.SECONDS);
        assertThat(sandbox.ended()).as("held").isNotDone();
        Sandbox.Terminal shell = terminal();
        type(shell, "ls /tmp; exit\n");
        await(s -> s.contains("left-by-the-worker"));
        assertThat(shell.exit().get(DEADLINE_S, TimeUnit.SECONDS)).isZero();

        release.run();
        sandbox.ended().get(DEADLINE_S, TimeUnit.SECONDS);
    }
}
