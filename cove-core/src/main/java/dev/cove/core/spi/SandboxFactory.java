package dev.cove.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How worker processes are confined: the sandboxes of one node, made by the {@link SandboxProvider} the
 * node was started with, or plain child processes when the operator asked for no sandbox.
 */
public interface SandboxFactory extends AutoCloseable {

    /**
     * A sandbox to start, empty of workers until its first {@link Sandbox#spawn}.
     *
     * @param name a name unique among this factory's sandboxes, used for its cgroup and folders
     * @param programDir the host folder holding the worker programs, visible read-only
     * @param socketDir the host folder where its workers' Unix sockets go, visible read-write
     * @param interpreters the programs its workers may run (those outside /usr are made visible)
     */
    record Launch(String name, Path programDir, Path socketDir, List<Path> interpreters) {
        public Launch {
            interpreters = List.copyOf(interpreters);
        }
    }

    /** Starts a sandbox; blocks for the fork. */
    Sandbox start(Launch launch) throws IOException;

    /**
     * Whether a sandbox holds several workers that share what it isolates (one application's): true
     * where sandboxes isolate; false when nothing is isolated, so that each worker may as well be a stem
     * cell.
     */
    boolean shares();

    /** Where a worker program in {@code programDir} is seen by the sandboxed process. */
    String programPath(Path programDir, Path program);

    /** Where a socket in a sandbox's {@link Sandbox#socketDir} is seen by its workers. */
    String socketPath(Path socket);

    /**
     * The base URL of the REST API as the functions in these sandboxes reach it, OpenWhisk's
     * {@code __OW_API_HOST}, given the address the server listens on.
     */
    String apiHost(String serverAddress);

    /**
     * The folder inside each sandbox holding a shell and its tools (a static busybox's), for a
     * {@link Sandbox#terminal}: a sandbox shows its functions' code and the host's /usr, no shell of
     * its own. Empty where there is none.
     */
    default Optional<String> toolbox() {
        return Optional.empty();
    }

    /** One line for the operator: what isolates the workers. */
    String describe();

    @Override
    void close();
}
