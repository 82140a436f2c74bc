package dev.cove.core.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How worker processes reach the platform (docs/worker-protocol.md): each connects to a Unix socket of
 * its own, proves itself with the one-time token its first frame (hello) carries, and from then on
 * frames are lines of JSON both ways. The transport frames the bytes; the core encodes and decodes
 * the JSON.
 *
 * <p>A listened socket takes one connection: the first that says hello with the right token. Any
 * other is closed at once, and so is one that sends anything else first or nothing within the
 * transport's hello timeout; none of those reaches the core.
 *
 * <p>Implementations are thread-safe. One worker's events arrive in order, one at a time; frames may
 * be sent from any thread.
 */
public interface WorkerTransport extends AutoCloseable {

    /**
     * Listens on a new Unix socket at {@code socket} (a file there is replaced) for the worker that
     * proves itself with {@code token}, and tells {@code worker} what happens on its connection.
     * Blocks until it listens.
     *
     * @param maxFrameBytes the most of a frame held while its end has not come: a worker that sends
     *     more is reported ({@link Worker#oversized})
     * @throws IOException when the socket can't be listened on
     */
    Listening listen(Path socket, String token, int maxFrameBytes, Worker worker) throws IOException;

    /** Stops listening on every socket and closes every connection. */
    @Override
    void close();

    /** One socket listened on. */
    interface Listening extends AutoCloseable {
        /** Stops listening, closes the worker's connection if it has one, and removes the socket's file. */
        @Override
        void close();
    }

    /** The connection of a worker that proved itself. */
    interface Connection {
        /**
         * Writes the parts one after the other, from any thread: a transport copies each part once.
         * The core ends every frame with a newline.
         */
        void send(byte[]... parts);

        /** Closes the connection; {@link Worker#closed} follows. */
        void close();
    }

    /** What the core hears of one worker's connection. */
    interface Worker {
        /** The worker said hello with the right token; {@code hello} is that frame, without its newline. */
        void connected(Connection connection, byte[] hello);

        /** One frame from the worker, without its newline; empty lines are skipped. */
        void received(byte[] frame);

        /** The worker sent more than the most a frame may hold without ending it. */
        void oversized();

        /** The connection closed, from either side. Only after {@link #connected}. */
        void closed();
    }
}
