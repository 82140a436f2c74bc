package dev.cove.core.runtime;

import dev.cove.core.spi.WorkerTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers' sockets on the transport: one per worker, named for its token in its sandbox's folder
 * of sockets. Frames from a worker are decoded here and handed to it; one that is not a JSON object
 * with a type, or is too long, is a protocol violation that stops the worker.
 */
final class WorkerSockets implements AutoCloseable {
    private final WorkerTransport transport;
    private final int maxFrameBytes;
    private final Map<String, WorkerTransport.Listening> listening = new ConcurrentHashMap<>();

    WorkerSockets(WorkerTransport transport, int maxFrameBytes) {
        this.transport = transport;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Opens the socket the worker with this token will connect to, in {@code dir} (its sandbox's
     * folder of sockets), and answers its path. Blocks until it listens.
     */
    Path open(Path dir, String token, ProcessWorker worker) throws IOException {
        Path socket = dir.resolve("w-" + token + ".sock");
        listening.put(token, transport.listen(socket, token, maxFrameBytes, new Connection(worker)));
        return socket;
    }

    /** Stops listening for this worker (closing its connection, if any) and removes its socket. */
    void forget(String token) {
        WorkerTransport.Listening socket = listening.remove(token);
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public void close() {
        listening.keySet().forEach(this::forget);
    }

    /** What one worker's connection hears, as frames. */
    private final class Connection implements WorkerTransport.Worker {
        private final ProcessWorker worker;

        Connection(ProcessWorker worker) {
            this.worker = worker;
        }

        @Override
        public void connected(WorkerTransport.Connection connection, byte[] hello) {
            try {
                worker.attach(connection, Frames.decode(hello).fields());
            } catch (IOException e) {
                oversized();
            }
        }

        @Override
        public void received(byte[] frame) {
            Frames.Decoded decoded;
            try {
                decoded = Frames.decode(frame);
            } catch (IOException e) {
                oversized();
                return;
            }
            worker.onFrame(decoded);
        }

        /** A frame too long, or not one at all: the worker hears one message for both. */
        @Override
        public void oversized() {
            worker.onProtocolViolation("sent a frame that is not valid or is over " + maxFrameBytes + " bytes");
        }

        @Override
        public void closed() {
            worker.onSocketClosed();
        }
    }
}
