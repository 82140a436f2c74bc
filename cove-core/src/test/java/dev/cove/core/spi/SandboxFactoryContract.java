package dev.cove.core.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every {@link SandboxFactory} does, whatever it confines workers with: workers started in a
 * sandbox run their command with the environment they are given, their output reaches the platform
 * line by line and before their exit, they find exposed code and their sockets where the factory says,
 * and a sandbox ends when it is killed or its last worker has ended, taking no new worker once it is
 * ending. The workers are python programs. An implementation's test extends this class.
 */
public abstract class SandboxFactoryContract {
    private static final long WAIT_S = 30;
    private static final int KILLED = 128 + 9;
    private static final Path PYTHON = Stream.of("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3")
            .map(Path::of).filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError("no python3"));
    /** Says it is ready, then waits to be killed. */
    private static final String SLEEPER = "import time\nprint('ready', flush=True)\ntime.sleep(600)\n";

    @TempDir
    protected Path dir;
    private SandboxFactory factory;
    private Path programs;
    private Path sockets;
    private final List<Sandbox> sandboxes = new ArrayList<>();

    /** The factory under test, keeping what it must write under {@code dir}. */
    protected abstract SandboxFactory create(Path dir) throws IOException;

    @BeforeEach
    void createFactory() throws IOException {
        factory = create(Files.createDirectories(dir.resolve("factory")));
        programs = Files.createDirectories(dir.resolve("programs"));
        sockets = Files.createDirectories(dir.resolve("sockets"));
    }

    @AfterEach
    void closeFactory() throws Exception {
        for (Sandbox sandbox : sandboxes) {
            sandbox.kill();
            sandbox.ended().get(WAIT_S, TimeUnit.SECONDS);
        }
        factory.close();
    }

    @Test
    void aWorkersOutputReachesThePlatformLineByLineBeforeItsExit() throws Exception {
        Sandbox sandbox = start();
        Spawned worker = spawn(sandbox, "printer",
                "import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)\nsys.exit(3)\n", Map.of());

        assertThat(worker.exit()).isEqualTo(3);
        assertThat(worker.lines).containsExactlyInAnyOrder("stdout: to stdout", "stderr: to stderr");
        assertThat(worker.worker.pid()).isPositive();
        assertThat(worker.worker.exceededLimit()).isEmpty();
        assertThat(worker.worker.alive()).isFalse();
    }

    @Test
    void aWorkerHasTheEnvironmentItIsGivenAndNothingElse() throws Exception {
        Spawned worker = spawn(start(), "env", "import json, os\nprint(json.dumps(sorted(os.environ.items())))\n",
                Map.of("GREETING", "hello", "LANG", "C.UTF-8"));

        assertThat(worker.exit()).isZero();
        assertThat(worker.lines).containsExactly("stdout: [[\"GREETING\", \"hello\"], [\"LANG\", \"C.UTF-8\"]]");
    }

    @Test
    void aLineLongerThanTheWorkersMaximumIsCut() throws Exception {
        Sandbox sandbox = start();
        Spawned worker = new Spawned();
        worker.worker = sandbox.spawn(new Sandbox.Spawn("long", command("long", "print('x' * 100)\n"), Map.of(),
                ResourceLimits.STEM_CELL, 10, worker::line));

        assertThat(worker.exit()).isZero();
        assertThat(worker.lines).containsExactly("stdout: xxxxxxxxxx [line cut at 10 bytes]");
    }

    @Test
    void aKilledWorkerEndsAloneAndTheLastOneEndsItsSandbox() throws Exception {
        Sandbox sandbox = start();
        Spawned first = sleeper(sandbox, "first");
        Spawned second = sleeper(sandbox, "second");
        second.worker.share(ResourceLimits.forFunction(128));

        first.worker.kill();

        assertThat(first.exit()).isEqualTo(KILLED);
        assertThat(second.worker.alive()).as("its sibling").isTrue();
        assertThat(sandbox.ended()).isNotDone();
        second.worker.kill();
        assertThat(second.exit()).isEqualTo(KILLED);
        sandbox.ended().get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void aKilledSandboxEndsEveryWorkerAndTakesNoNewOne() throws Exception {
        Sandbox sandbox = start();
        Spawned sleeper = sleeper(sandbox, "sleeper");

        sandbox.kill();

        assertThat(sleeper.exit()).isEqualTo(KILLED);
        sandbox.ended().get(WAIT_S, TimeUnit.SECONDS);
        assertThrows(SandboxEndedException.class, () -> spawn(sandbox, "late", SLEEPER, Map.of()));
    }

    @Test
    void aRetiredSandboxTakesNoNewWorkerAndEndsWithItsLast() throws Exception {
        Sandbox sandbox = start();
        Spawned sleeper = sleeper(sandbox, "sleeper");

        sandbox.retire();

        assertThrows(SandboxEndedException.class, () -> spawn(sandbox, "late", SLEEPER, Map.of()));
        assertThat(sandbox.ended()).isNotDone();
        sleeper.worker.kill();
        sandbox.ended().get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerReadsExposedCodeWhereTheSandboxSays() throws Exception {
        Sandbox sandbox = start();
        Path code = Files.writeString(dir.resolve("code.txt"), "the function's code");

        String path = sandbox.expose("f/1", code);

        assertThat(sandbox.expose("f/1", code)).as("exposed again").isEqualTo(path);
        Spawned reader = spawn(sandbox, "reader", "import sys\nprint(open(sys.argv[1]).read())\n", Map.of(), path);
        assertThat(reader.exit()).isZero();
        assertThat(reader.lines).containsExactly("stdout: the function's code");
    }

    @Test
    void aWorkerConnectsToItsSocketWhereTheFactorySays() throws Exception {
        Sandbox sandbox = start();
        Path socket = sandbox.socketDir().resolve("w.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Spawned client = spawn(sandbox, "client", """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX)
                    s.connect(sys.argv[1])
                    s.sendall(b"hello from the worker\\n")
                    """, Map.of(), factory.socketPath(socket));

            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> firstLine(server));

            assertThat(received.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("hello from the worker");
            assertThat(client.exit()).isZero();
        }
    }

    /** The first line of the first connection; a server closed meanwhile ends it. */
    private static String firstLine(ServerSocketChannel server) {
        try (SocketChannel accepted = server.accept();
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(accepted),
                        StandardCharsets.UTF_8))) {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Sandbox start() throws IOException {
        String name = "sandbox-" + sandboxes.size();
        Path own = Files.createDirectories(sockets.resolve(name));
        Sandbox sandbox = factory.start(new SandboxFactory.Launch(name, programs, own, List.of(PYTHON)));
        sandboxes.add(sandbox);
        assertThat(sandbox.socketDir()).isEqualTo(own);
        return sandbox;
    }

    /** A worker that has said it is ready and waits to be killed. */
    private Spawned sleeper(Sandbox sandbox, String name) throws Exception {
        Spawned sleeper = spawn(sandbox, name, SLEEPER, Map.of());
        sleeper.awaitLine();
        return sleeper;
    }

    private Spawned spawn(Sandbox sandbox, String name, String program, Map<String, String> env, String... args)
            throws IOException {
        Spawned spawned = new Spawned();
        spawned.worker = sandbox.spawn(new Sandbox.Spawn(name, command(name, program, args), env,
                ResourceLimits.STEM_CELL, 4096, spawned::line));
        return spawned;
    }

    private List<String> command(String name, String program, String... args) throws IOException {
        Path file = Files.writeString(programs.resolve(name + ".py"), program);
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-S",
                factory.programPath(programs, file)));
        command.addAll(List.of(args));
        return command;
    }

    /** A worker and the lines of its output, as "stream: line". */
    private static final class Spawned {
        final List<String> lines = new CopyOnWriteArrayList<>();
        Sandbox.Worker worker;

        /** Completes with the worker's first line. */
        final CompletableFuture<String> firstLine = new CompletableFuture<>();

        void line(String stream, String line) {
            lines.add(stream + ": " + line);
            firstLine.complete(line);
        }

        int exit() throws Exception {
            return worker.exit().get(WAIT_S, TimeUnit.SECONDS);
        }

        /** Waits for the worker's first line, or its exit, whichever comes first. */
        void awaitLine() throws Exception {
            try {
                CompletableFuture.anyOf(firstLine, worker.exit()).get(WAIT_S, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // said below
            }
            assertThat(lines).as("what the worker printed").isNotEmpty();
        }
    }
}
