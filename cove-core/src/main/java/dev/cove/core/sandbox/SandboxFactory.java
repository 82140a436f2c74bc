package dev.cove.core.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How worker processes are confined. {@link #bubblewrap} is the default wherever the kernel allows
 * unprivileged user namespaces and bubblewrap is installed; {@link #unconfined} runs workers as plain
 * child processes, only when the operator asked for it.
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
     * Whether a sandbox holds several workers that share what it isolates (one application's): true for
     * bubblewrap; false when nothing is isolated, so that each worker may as well be a stem cell.
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

    /** One line for the operator: what isolates the workers. */
    String describe();

    @Override
    void close();

    /**
     * Bubblewrap sandboxes with cgroup limits where they can be had, each relaying the REST API from
     * {@code http://127.0.0.1:}{@value Bubblewrap#API_PORT} inside to the server's Unix socket.
     *
     * @param stagingDir where each sandbox's copy of its function's code is made; on the same file
     *     system as the functions' code, so that the copy is hard links
     * @param serverName names this server's cgroups
     * @param tmpBytes the size of each sandbox's private /tmp
     * @param apiSocket where the server serves its REST API on a Unix socket (alone in its folder,
     *     which each sandbox sees read-only); it may appear, go and come back while sandboxes run
     */
    static SandboxFactory bubblewrap(Path stagingDir, String serverName, long tmpBytes, Path apiSocket)
            throws IOException {
        return Bubblewrap.create(stagingDir, serverName, tmpBytes, apiSocket);
    }

    /** As {@link #bubblewrap(Path, String, long, Path)}, with an API socket no server serves: for tests of sandboxes alone. */
    static SandboxFactory bubblewrap(Path stagingDir, String serverName, long tmpBytes) throws IOException {
        return Bubblewrap.create(stagingDir, serverName, tmpBytes, stagingDir.resolve("api").resolve("api.sock"));
    }

    /** Plain child processes with a cleared environment: no isolation. */
    static SandboxFactory unconfined() {
        return new Unconfined();
    }

    /** Why bubblewrap sandboxes can't be used on this machine, or empty when they can. */
    static Optional<String> bubblewrapUnavailable() {
        return Bubblewrap.unavailable();
    }
}
