package dev.cove.server;

import java.util.List;

/**
 * A running single-node Cove server: the HTTP API in front of the platform.
 *
 * <pre>{@code
 * try (CoveServer server = CoveServer.start(ServerOptions.defaults().withPort(0))) {
 *     System.out.println(server.apiHost() + " " + server.guestAuth());
 * }
 * }</pre>
 */
public final class CoveServer implements AutoCloseable {

    private CoveServer() {}

    /**
     * Opens the store under the data folder, starts the runtimes' stem cells and the HTTP listener.
     *
     * @throws StartException with a message for a person (the port is taken, the data folder is not
     *     writable, no runtime could start)
     */
    public static CoveServer start(ServerOptions options) throws StartException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The HTTP port actually listened on. */
    public int port() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The base URL of the API, e.g. {@code http://127.0.0.1:3233}. */
    public String apiHost() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The guest namespace's credentials, {@code uuid:key}. */
    public String guestAuth() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** One line per available runtime, e.g. {@code nodejs:20 (node v20.20.2)}. */
    public List<String> runtimes() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Stops accepting requests, ends the workers and flushes the store. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Starting failed for a reason a person can act on; the message says which. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        public StartException(String message) {
            super(message);
        }

        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
