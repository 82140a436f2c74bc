package dev.cove.transport.vertx;

import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.WorkerTransport;
import io.vertx.core.Vertx;
import java.time.Duration;

/** The platform's event loops and timers, from Vert.x and Netty: what the core's workers and deadlines run on. */
public final class VertxTransport {
    /** How long a connection to a worker's socket may take to say hello before it is closed. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

    private VertxTransport() {}

    /** The workers' sockets, served from one of this Vert.x's event loops. */
    public static WorkerTransport workers(Vertx vertx) {
        return new WorkerChannel(vertx, HELLO_TIMEOUT);
    }

    /** A timer wheel for activations' deadlines, on a thread of its own. */
    public static Deadlines deadlines() {
        return new WheelDeadlines();
    }
}
