package dev.cove.server;

import dev.cove.core.Node;
import dev.cove.node.CoveNode;
import dev.cove.node.NodeOptions;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running single-node Cove server: the HTTP API in front of the platform.
 *
 * <pre>{@code
 * try (CoveServer server = CoveServer.start(ServerOptions.defaults().withPort(0))) {
 *     System.out.println(server.apiHost() + " " + server.guestAuth());
 * }
 * }</pre>
 *
 * <p>One HTTP server runs per event loop (as many as cores), all sharing the port; Vert.x spreads
 * connections across them. The same Vert.x instance serves the workers' socket, and the REST API
 * once more on a Unix socket for the functions, which each sandbox relays to
 * ({@link Node#apiSocket()}).
 */
public final class CoveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoveServer.class);
    private static final long MAX_LOG_BYTES = 10L * 1024 * 1024;

    private final Vertx vertx;
    private final Node platform;
    private final ServerOptions options;
    private final int port;

    private CoveServer(Vertx vertx, Node platform, ServerOptions options, int port) {
        this.vertx = vertx;
        this.platform = platform;
        this.options = options;
        this.port = port;
    }

    /**
     * Opens the store under the data folder, starts the runtimes' stem cells and the HTTP listener.
     *
     * @throws StartException with a message for a person (the port is taken, the data folder is not
     *     writable, no runtime could start)
     */
    public static CoveServer start(ServerOptions options) throws StartException {
        requireWritable(options);
        requirePortFree(options);
        Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        Node platform;
        try {
            Node.Config config = new Node.Config(options.dataDir(), options.stemCellsPerRuntime(),
                    options.maxPayloadBytes(), options.activationRetention(), options.maxQueuePerFunction(),
                    MAX_LOG_BYTES, options.sandboxed(), options.cache(), options.packageSources(), options.scaling(),
                    options.debugging());
            platform = CoveNode.start(new NodeOptions(config, options.cacheBackend(), options.topics()), vertx);
        } catch (IOException | RuntimeException e) {
            vertx.close();
            throw new StartException("Cove could not start: " + e.getMessage(), e);
        }
        try {
            HttpApi api = new HttpApi(vertx, platform, options.maxPayloadBytes());
            int port = listen(vertx, api, options);
            listenForSandboxes(vertx, api, platform);
            CoveServer server = new CoveServer(vertx, platform, options, port);
            platform.apiHost(server.apiHost());
            return server;
        } catch (StartException e) {
            platform.close();
            vertx.close();
            throw e;
        }
    }

    private static void requireWritable(ServerOptions options) throws StartException {
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new StartException("Cove cannot create its data folder " + options.dataDir() + ": " + e.getMessage());
        }
        if (!Files.isWritable(options.dataDir())) {
            throw new StartException("Cove cannot write to its data folder " + options.dataDir());
        }
    }

    /** Fails fast on a busy port, before any worker is started for nothing. */
    private static void requirePortFree(ServerOptions options) throws StartException {
        if (options.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()));
        } catch (BindException e) {
            throw portInUse(options.host(), options.port());
        } catch (IOException e) {
            throw new StartException("Cove could not listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage(), e);
        }
    }

    private static StartException portInUse(String host, int port) {
        return new PortInUse("Port " + port + " on " + host
                + " is already in use - is Cove already running? Pick another with --port.");
    }

    /** A port someone else holds: the one failure worth another free port. */
    private static final class PortInUse extends StartException {
        private static final long serialVersionUID = 1L;

        PortInUse(String message) {
            super(message);
        }
    }

    /**
     * One server per event loop, all on one port, which Vert.x binds once and shares among them. Port 0
     * is first turned into a free port, since Vert.x shares only servers asking for the same port; as
     * another process can take that port before it is bound, a few are tried.
     */
    private static int listen(Vertx vertx, HttpApi api, ServerOptions options) throws StartException {
        if (options.port() != 0) {
            return listen(vertx, api, options.host(), options.port());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return listen(vertx, api, options.host(), freePort(options.host()));
            } catch (PortInUse e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int listen(Vertx vertx, HttpApi api, String host, int port) throws StartException {
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        try {
            await(vertx.deployVerticle(() -> new HttpVerticle(api, host, port),
                    new DeploymentOptions().setInstances(instances)));
            return port;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debug("listening failed", cause);
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw portInUse(host, port);
            }
            throw new StartException("Cove could not listen on " + host + ":" + port + ": "
                    + cause.getMessage(), e);
        }
    }

    /**
     * The REST API on the Unix socket the sandboxes relay to; one server on one event loop is plenty
     * for functions' calls. Without it the platform still runs, only sandboxed functions can't reach
     * the API, so a failure is logged rather than fatal. (A socket left by a server that was killed
     * is removed first: a data folder has one server.) The connections open on it are counted, as
     * {@code cove_api_relay_connections}.
     */
    private static void listenForSandboxes(Vertx vertx, HttpApi api, Node platform) {
        Path socket = platform.apiSocket();
        AtomicInteger open = new AtomicInteger();
        Gauge.builder("cove.api.relay.connections", open, AtomicInteger::get)
                .description("Connections functions hold open to the REST API through their sandboxes' relays")
                .register(platform.metrics());
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            // without HTTP/2's clear text upgrade, a connection is HTTP/1.1 from its first byte and counted from then
            HttpServerOptions http = new HttpServerOptions().setCompressionSupported(false).setIdleTimeout(0)
                    .setHttp2ClearTextEnabled(false);
            await(vertx.createHttpServer(http).requestHandler(api::handleFromSandbox)
                    .connectionHandler(connection -> {
                        open.incrementAndGet();
                        connection.closeHandler(v -> open.decrementAndGet());
                    })
                    .listen(SocketAddress.domainSocketAddress(socket.toString())));
        } catch (Exception e) {
            LOG.warn("sandboxed functions can't reach the REST API: could not listen on {}: {}", socket,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    private static int freePort(String host) throws StartException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartException("Cove could not find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** One HTTP server on this verticle's event loop. */
    private static final class HttpVerticle extends VerticleBase {
        private final HttpApi api;
        private final String host;
        private final int port;

        HttpVerticle(HttpApi api, String host, int port) {
            this.api = api;
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions http = new HttpServerOptions().setHost(host).setPort(port)
                    .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0);
            HttpServer server = vertx.createHttpServer(http).requestHandler(api::handle);
            return server.listen();
        }
    }

    /** The HTTP port actually listened on. */
    public int port() {
        return port;
    }

    /** The base URL of the API, e.g. {@code http://127.0.0.1:3233}. */
    public String apiHost() {
        String host = switch (options.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> options.host();
        };
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The guest namespace's credentials, {@code uuid:key}. */
    public String guestAuth() {
        return platform.guest().auth();
    }

    /** One line per available runtime, e.g. {@code nodejs:20 (node v20.20.2)}. */
    public List<String> runtimes() {
        return platform.runtimes();
    }

    /** Where topics' messages go, one line. */
    public String topics() {
        return options.topics().describe();
    }

    /** What holds the functions' caches, one line. */
    public String cache() {
        return platform.cacheDescription();
    }

    /** What isolates the functions' workers, one line (bubblewrap sandboxes, or none). */
    public String isolation() {
        return platform.isolation();
    }

    /** Why a runtime can't run functions, one line each (e.g. its interpreter is missing). */
    public List<String> unavailableRuntimes() {
        return platform.unavailableRuntimes();
    }

    /** Stops accepting requests, ends the workers and flushes the store. */
    @Override
    public void close() {
        platform.close();
        try {
            await(vertx.close());
        } catch (Exception e) {
            LOG.debug("closing Vert.x failed", e);
        }
    }

    /** Starting failed for a reason a person can act on; the message says which. */
    public static class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        public StartException(String message) {
            super(message);
        }

        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
