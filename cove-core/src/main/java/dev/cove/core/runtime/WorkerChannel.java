package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket every worker connects to. A connection belongs to the worker whose one-time token
 * its first frame (hello) carries; a connection without one is closed. Frames are read on the
 * connection's event loop and handed to the worker there.
 */
final class WorkerChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerChannel.class);
    private static final long HELLO_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final Path socketPath;
    private final int maxFrameBytes;
    private final Map<String, ProcessWorker> expected = new ConcurrentHashMap<>();
    private NetServer server;

    WorkerChannel(Vertx vertx, Path socketPath, int maxFrameBytes) {
        this.vertx = vertx;
        this.socketPath = socketPath;
        this.maxFrameBytes = maxFrameBytes;
    }

    Path socketPath() {
        return socketPath;
    }

    Future<NetServer> listen() {
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        server = vertx.createNetServer().connectHandler(this::accept);
        return server.listen(SocketAddress.domainSocketAddress(socketPath.toString()));
    }

    /** The worker started with this token may now connect. */
    void expect(String token, ProcessWorker worker) {
        expected.put(token, worker);
    }

    void forget(String token) {
        expected.remove(token);
    }

    private void accept(NetSocket socket) {
        Connection connection = new Connection(socket);
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
        if (server != null) {
            server.close();
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.debug("could not remove {}", socketPath, e);
        }
    }

    /** One accepted connection; unowned until its hello names a worker. */
    private final class Connection {
        private final NetSocket socket;
        private ProcessWorker worker;
        private long helloTimer;

        Connection(NetSocket socket) {
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
            ProcessWorker owner = "hello".equals(frame.type()) ? expected.remove(hello.path("token").asText()) : null;
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
