package dev.cove.transport.vertx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.spi.WorkerTransport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
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
final class WorkerChannel implements WorkerTransport {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerChannel.class);
    private static final long LISTEN_TIMEOUT_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final long helloTimeoutMs;
    private final Set<Socket> listening = ConcurrentHashMap.newKeySet();
    private final Context loop;

    WorkerChannel(Vertx vertx, Duration helloTimeout) {
        this.vertx = vertx;
        this.helloTimeoutMs = helloTimeout.toMillis();
        this.loop = vertx.getOrCreateContext();
    }

    @Override
    public Listening listen(Path path, String token, int maxFrameBytes, Worker worker) throws IOException {
        Files.deleteIfExists(path);
        Socket socket = new Socket(path, token, maxFrameBytes, worker);
        listening.add(socket);
        CompletableFuture<NetServer> listened = new CompletableFuture<>();
        loop.runOnContext(v -> { // a server listened to on a context serves its connections there
            socket.server.listen(SocketAddress.domainSocketAddress(path.toString())).onComplete(done -> {
                if (done.succeeded()) {
                    listened.complete(socket.server);
                } else {
                    listened.completeExceptionally(done.cause());
                }
            });
        });
        try {
            listened.get(LISTEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return socket;
        } catch (ExecutionException | TimeoutException e) {
            socket.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.close();
            throw new IOException("interrupted while opening " + path, e);
        }
    }

    @Override
    public void close() {
        listening.forEach(Socket::close);
    }

    /** One worker's socket, expecting its hello until a connection has said it. */
    private final class Socket implements Listening {
        private final Path path;
        private final String token;
        private final int maxFrameBytes;
        private final Worker worker;
        private final NetServer server;
        private volatile boolean expecting = true;

        Socket(Path path, String token, int maxFrameBytes, Worker worker) {
            this.path = path;
            this.token = token;
            this.maxFrameBytes = maxFrameBytes;
            this.worker = worker;
            this.server = vertx.createNetServer().connectHandler(this::accept);
        }

        private void accept(NetSocket socket) {
            if (!expecting) {
                socket.close(); // its worker is connected already, or gone
                return;
            }
            Connection connection = new Connection(this, socket);
            RecordParser parser = RecordParser.newDelimited("\n", connection::onRecord).maxRecordSize(maxFrameBytes);
            parser.exceptionHandler(connection::onBadInput);
            socket.handler(parser);
            socket.closeHandler(v -> connection.onClose());
            socket.exceptionHandler(e -> LOG.debug("worker socket failed", e));
            connection.helloTimer = vertx.setTimer(helloTimeoutMs, id -> {
                if (!connection.owned) {
                    socket.close();
                }
            });
        }

        /** Whether a hello proves its sender to be this socket's worker; the first such claims it. */
        boolean claimedBy(JsonNode hello) {
            boolean valid = "hello".equals(hello.path("type").asText()) && token.equals(hello.path("token").asText());
            if (!valid || !expecting) {
                return false;
            }
            expecting = false;
            return true;
        }

        /** Stops listening for this worker (closing its connection, if any) and removes its socket. */
        @Override
        public void close() {
            expecting = false;
            listening.remove(this);
            server.close();
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.debug("could not remove the socket of worker {}", token, e);
            }
        }
    }

    /** One accepted connection; unowned until its hello names its socket's worker. */
    private final class Connection implements WorkerTransport.Connection {
        private final Socket owner;
        private final NetSocket socket;
        private boolean owned;
        private long helloTimer;

        Connection(Socket owner, NetSocket socket) {
            this.owner = owner;
            this.socket = socket;
        }

        void onRecord(Buffer record) {
            if (record.length() == 0) {
                return;
            }
            byte[] frame = record.getBytes();
            if (owned) {
                owner.worker.received(frame);
            } else {
                claim(frame);
            }
        }

        private void claim(byte[] frame) {
            JsonNode hello;
            try {
                hello = JSON.readTree(frame);
            } catch (IOException e) {
                socket.close();
                return;
            }
            if (!owner.claimedBy(hello)) {
                LOG.warn("closed a worker connection that did not start with a valid hello");
                socket.close();
                return;
            }
            vertx.cancelTimer(helloTimer);
            owned = true;
            owner.worker.connected(this, frame);
        }

        void onBadInput(Throwable cause) {
            if (owned) {
                owner.worker.oversized();
            } else {
                socket.close();
            }
        }

        void onClose() {
            if (owned) {
                owner.worker.closed();
            }
        }

        @Override
        public void send(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            Buffer out = Buffer.buffer(length);
            for (byte[] part : parts) {
                out.appendBytes(part);
            }
            socket.write(out);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
