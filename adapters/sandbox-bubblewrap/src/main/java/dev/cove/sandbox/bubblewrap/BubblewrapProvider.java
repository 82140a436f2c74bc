package dev.cove.sandbox.bubblewrap;

import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxProvider;
import java.io.IOException;
import java.util.Optional;

/**
 * Bubblewrap sandboxes, wherever the kernel allows unprivileged user namespaces and bubblewrap and
 * python3 are installed: their own namespaces, cgroup limits for each worker where they can be had, a
 * seccomp filter, and outbound networking by slirp4netns where the server runs as root. Each sandbox
 * relays the REST API from {@code http://127.0.0.1:}{@value Bubblewrap#API_PORT} inside to the server's Unix socket.
 */
public final class BubblewrapProvider implements SandboxProvider {

    /** Tries a throwaway sandbox. */
    @Override
    public Optional<String> unavailable() {
        return Bubblewrap.unavailable();
    }

    @Override
    public SandboxFactory create(Settings settings) throws IOException {
        return Bubblewrap.create(settings.stagingDir(), settings.serverName(), settings.tmpBytes(),
                settings.apiSocket());
    }
}
