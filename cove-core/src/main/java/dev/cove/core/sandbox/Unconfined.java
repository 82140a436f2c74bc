package dev.cove.core.sandbox;

import dev.cove.core.spi.ChildProcesses;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxEndedException;
import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workers as plain child processes with a cleared environment; what --no-sandbox asks for. A
 * "sandbox" here is only a name for its workers: nothing is isolated, so nothing is shared either.
 */
public final class Unconfined implements SandboxFactory {

    /** Makes them anywhere, whatever it is given: there is nothing to prepare. */
    private static final SandboxProvider PROVIDER = new SandboxProvider() {
        @Override
        public Optional<String> unavailable() {
            return Optional.empty();
        }

        @Override
        public SandboxFactory create(Settings settings) {
            return new Unconfined();
        }
    };

    private Unconfined() {}

    /** Workers as plain child processes: no isolation. */
    public static SandboxProvider provider() {
        return PROVIDER;
    }

    /** A plain process on the host reaches the server where it listens. */
    @Override
    public String apiHost(String serverAddress) {
        return serverAddress;
    }

    @Override
    public Sandbox start(Launch launch) {
        return new Group(launch.socketDir());
    }

    /** The workers started under one name; it ends with its last one. */
    private static final class Group implements Sandbox {
        private final Path socketDir;
        private static final long OUTPUT_GRACE_MS = 200;
        private final Set<Process> processes = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private boolean ending;

        Group(Path socketDir) {
            this.socketDir = socketDir;
        }

        @Override
        public Worker spawn(Spawn spawn) throws IOException {
            ProcessBuilder builder = ChildProcesses.builder(spawn.command(), spawn.env())
                    .directory(new File(System.getProperty("java.io.tmpdir")))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process;
            synchronized (this) {
                if (ending) {
                    throw new SandboxEndedException();
                }
                process = builder.start();
                processes.add(process);
            }
            String name = spawn.name();
            Thread out = ChildProcesses.pump(name + "-out", process.getInputStream(),
                    ChildProcesses.lines(spawn.maxLineBytes(), l -> spawn.output().line("stdout", l)));
            Thread err = ChildProcesses.pump(name + "-err", process.getErrorStream(),
                    ChildProcesses.lines(spawn.maxLineBytes(), l -> spawn.output().line("stderr", l)));
            // what the worker printed comes before its exit, as a sandbox's keeper relays it
            CompletableFuture<Integer> exit = process.onExit().thenApplyAsync(p -> {
                awaitOutput(out, err);
                return p.exitValue();
            }, task -> Thread.ofVirtual().start(task));
            exit.thenRun(() -> onExit(process));
            return new Worker() {
                @Override
                public long pid() {
                    return process.pid();
                }

                @Override
                public CompletableFuture<Integer> exit() {
                    return exit;
                }

                @Override
                public void kill() {
                    destroy(process);
                }

                @Override
                public void share(ResourceLimits share) {
                    // nothing enforces it
                }

                @Override
                public Optional<String> exceededLimit() {
                    return Optional.empty(); // nothing enforces any
                }
            };
        }

        /** Until both pumps have read to the end, or a moment: a child that inherited the pipes may keep them open. */
        private static void awaitOutput(Thread... pumps) {
            try {
                for (Thread pump : pumps) {
                    pump.join(OUTPUT_GRACE_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void onExit(Process process) {
            synchronized (this) {
                processes.remove(process);
                ending = ending || processes.isEmpty();
            }
            if (processes.isEmpty()) {
                ended.complete(null);
            }
        }

        private static void destroy(Process process) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        @Override
        public Path socketDir() {
            return socketDir;
        }

        @Override
        public String expose(String key, Path code) {
            return code.toString();
        }

        @Override
        public void openOutbound() {
            // an unconfined process has the server's whole network already
        }

        @Override
        public void retire() {
            boolean empty;
            synchronized (this) {
                ending = true;
                empty = processes.isEmpty();
            }
            if (empty) {
                ended.complete(null);
            }
        }

        @Override
        public void kill() {
            synchronized (this) {
                ending = true;
            }
            processes.forEach(Group::destroy);
            if (processes.isEmpty()) {
                ended.complete(null);
            }
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended;
        }
    }

    @Override
    public boolean shares() {
        return false;
    }

    @Override
    public String programPath(Path programDir, Path program) {
        return program.toString();
    }

    @Override
    public String socketPath(Path socket) {
        return socket.toString();
    }

    @Override
    public String describe() {
        return "no sandbox: functions run as plain processes with the server's rights";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
