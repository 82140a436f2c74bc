package dev.cove.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kind of sandbox a node can run its workers in. The node names the one it uses; the runtimes ask it
 * whether it works on this machine, and if so have it make the node's {@link SandboxFactory}.
 */
public interface SandboxProvider {

    /**
     * What the sandboxes of one node are given.
     *
     * @param stagingDir where each sandbox's copy of its function's code is made; on the same file
     *     system as the functions' code, so that the copy can be hard links
     * @param serverName names this node's share of the machine (its cgroups, say); unique among the
     *     nodes running on it
     * @param tmpBytes the size of each sandbox's private /tmp
     * @param apiSocket where the node serves its REST API on a Unix socket (alone in its folder); it may
     *     appear, go and come back while sandboxes run
     */
    record Settings(Path stagingDir, String serverName, long tmpBytes, Path apiSocket) {
        public Settings {
            if (serverName.isBlank()) {
                throw new IllegalArgumentException("serverName must not be blank");
            }
            if (tmpBytes < 1) {
                throw new IllegalArgumentException("tmpBytes must be at least 1, was " + tmpBytes);
            }
            if (apiSocket.getParent() == null) {
                throw new IllegalArgumentException("apiSocket must be in a folder, was " + apiSocket);
            }
        }
    }

    /** Why these sandboxes can't be made on this machine (a program or a kernel feature is missing), if so. */
    Optional<String> unavailable();

    /** Prepares the node's sandboxes: none runs until {@link SandboxFactory#start}. */
    SandboxFactory create(Settings settings) throws IOException;
}
