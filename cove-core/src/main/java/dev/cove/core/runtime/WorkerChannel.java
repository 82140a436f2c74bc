package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix sockets workers connect to: one per worker, in a folder per sandbox. A sandbox sees only
 * the sockets of its own workers (one application's), and once a worker has connected, every further
 * connection to its socket is closed at once, so a function can neither reach the socket of another
 * application's worker nor open connections of its own to the platform. (The socket
 * can't simply be closed then: closing a Vert.x server closes its connections too.) The first
 * connection still proves itself with the one-time token its first frame (hello) carries.
 *
 * <p>Every worker's socket is served by one event loop, on which its frames are read and handed to
 * the worker. A call from one function to another then never changes threads: the call frame is read,
 * the callee's run frame written, its done frame read and the caller's answer written all on that
 * loop, where spreading the sockets over the loops cost two thread wake-ups per call.
 */
final class WorkerChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerChannel.class);
    private static final long HELLO_TIMEOUT_MS = 10_000;
    private static final long LISTEN_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final int maxFrameBytes;
    private final Map<String, ProcessWorker> expected = new ConcurrentHashMap<>();
    private final Map<String, NetServer> listening = new ConcurrentHashMap<>();
    private final Map<String, Path> sockets = new ConcurrentHashMap<>();
    private final Context loop;

    WorkerChannel(Vertx vertx, int maxFrameBytes) {
        this.vertx = vertx;
        this.maxFrameBytes = maxFrameBytes;
        this.loop = vertx.getOrCreateContext();
    }

    /**
     * Opens the socket the worker with this token will connect to, in {@code dir} (its sandbox's
     * folder of sockets), and answers its path. Blocks until it listens.
     */
    Path open(Path dir, String token, ProcessWorker worker) throws IOException {
        Path socket = dir.resolve("w-" + token + ".sock");
        Files.deleteIfExists(socket);
        sockets.put(token, socket);
        expected.put(token, worker);
        NetServer server = vertx.createNetServer().connectHandler(connection -> accept(token, connection));
        listening.put(token, server);
        CompletableFuture<NetServer> listened = new CompletableFuture<>();
        loop.runOnContext(v -> { // a server listened to on a context serves its connections there
            server.listen(SocketAddress.domainSocketAddress(socket.toString())).onComplete(done -> {
                if (done.succeeded()) {
                    listened.complete(server);
                } else {
                    listened.completeExceptionally(done.cause());
                }
            });
        });
        try {
            listened.get(LISTEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return socket;
        } catch (ExecutionException | TimeoutException e) {
            forget(token);
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forget(token);
            throw new IOException("interrupted while opening " + socket, e);
        }
    }

    /** Stops listening for this worker (closing its connection, if any) and removes its socket. */
    void forget(String token) {
        expected.remove(token);
        NetServer server = listening.remove(token);
        if (server != null) {
            server.close();
        }
        try {
            Path socket = sockets.remove(token);
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            LOG.debug("could not remove the socket of worker {}", token, e);
        }
    }

    private void accept(String token, NetSocket socket) {
        if (!expected.containsKey(token)) {
            socket.close(); // its worker is connected already, or gone
            return;
        }
        Connection connection = new Connection(token, socket);
        RecordParser parser = RecordParser.newDelimited("\n", connection::onRecord).maxRecordSize(maxFrameBytes);
        parser.exceptionHandler(connection::onBadInput);
        socket.handler(parser);
        socket.closeHandler(v -> connection.onClose());
        socket.exceptionHandler(e -> LOG.debug("worker socket failed", e));
        long timer = vertx.setTimer(HELLO_TIMEOUT_MS, id -> {
            if (connection.worker == null) {
                socket.close();
            }
        });
        connection.helloTimer = timer;
    }

    @Override
    public void close() {
        listening.keySet().forEach(this::forget);
    }

    /** One accepted connection; unowned until its hello names a worker. */
    private final class Connection {
        private final String token;
        private final NetSocket socket;
        private ProcessWorker worker;
        private long helloTimer;

        Connection(String token, NetSocket socket) {
            this.token = token;
            this.socket = socket;
        }

        void onRecord(io.vertx.core.buffer.Buffer record) {
            if (record.length() == 0) {
                return;
            }
            Frames.Decoded frame;
            try {
                frame = Frames.decode(record);
            } catch (IOException e) {
                onBadInput(e);
                return;
            }
            if (worker != null) {
                worker.onFrame(frame);
            } else {
                claim(frame);
            }
        }

        private void claim(Frames.Decoded frame) {
            JsonNode hello = frame.fields();
            boolean valid = "hello".equals(frame.type()) && token.equals(hello.path("token").asText());
            ProcessWorker owner = valid ? expected.remove(token) : null;
            if (owner == null) {
                LOG.warn("closed a worker connection that did not start with a valid hello");
                socket.close();
                return;
            }
            vertx.cancelTimer(helloTimer);
            worker = owner;
            owner.attach(socket, hello);
        }

        void onBadInput(Throwable cause) {
            if (worker != null) {
                worker.onProtocolViolation("sent a frame that is not valid or is over " + maxFrameBytes + " bytes");
            } else {
                socket.close();
            }
        }

        void onClose() {
            if (worker != null) {
                worker.onSocketClosed();
            }
        }
    }
}
