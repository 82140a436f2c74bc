package dev.cove.core.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Topics of messages: what triggers subscribe to and functions publish on, and, in a cluster, what
 * carries invocations between nodes. The embedded bus lives in the process
 * ({@code dev.cove.core.bus.LocalBus.topics()}); a cluster's runs on NATS. Every implementation passes
 * {@code MessageBusContract} in the tests.
 *
 * <p>Delivery: a subscriber gets each message published on its topic after it subscribed, those of one
 * publisher in the order they were published, on a thread of the bus's (never the publisher's); of the
 * subscribers that share a queue group, one gets each message. A handler that throws loses that
 * message for itself only.
 */
public interface MessageBus extends AutoCloseable {

    /** Publishes a message; completes once the bus has taken it. */
    CompletableFuture<Void> publish(String topic, byte[] message);

    /** Every subscriber of the topic gets every message. */
    Subscription subscribe(String topic, Consumer<byte[]> handler);

    /** Of the subscribers of the topic in {@code group}, one gets each message. */
    Subscription subscribe(String topic, String group, Consumer<byte[]> handler);

    /** Stops every delivery; messages not yet delivered are dropped. */
    @Override
    void close();

    /** A subscription, until it is closed. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
