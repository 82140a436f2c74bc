package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.spi.WorkerTransport;

/** A worker's connection once it has said hello: frames to it go out here, from any thread. */
final class WorkerLink {
    private volatile WorkerTransport.Connection connection;

    void attach(WorkerTransport.Connection connection) {
        this.connection = connection;
    }

    boolean attached() {
        return connection != null;
    }

    void send(ObjectNode frame) {
        send(Frames.encode(frame), Frames.NEWLINE);
    }

    /** A frame put together from parts, its newline the last one. */
    void send(byte[]... parts) {
        WorkerTransport.Connection c = connection;
        if (c != null) {
            c.send(parts);
        }
    }

    void close() {
        WorkerTransport.Connection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
