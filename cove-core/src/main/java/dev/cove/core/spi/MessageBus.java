package dev.cove.core.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Topics of messages: what triggers subscribe to and functions publish on. The embedded bus lives in
 * the process ({@code dev.cove.core.bus.LocalBus.topics()}); a durable one runs on NATS JetStream.
 * Every implementation passes {@code MessageBusContract} in the tests.
 *
 * <p>A topic is words joined by {@code .}; a subscription to {@code a.>} gets the messages of every
 * topic under {@code a.}. Each message has an id: one published again under the same id within the
 * bus's window (ten minutes) is dropped.
 *
 * <p>Delivery: a subscriber gets each message published on its topic after it subscribed, those of one
 * publisher in the order they were published, on a thread of the bus's (never the publisher's), one at
 * a time; of the subscribers that share a queue group, one gets each message. A handler that throws, or
 * whose stage fails, loses that message for itself only, except on a {@linkplain #durable() durable}
 * bus's queue group, which delivers it again until a handling completes (behind the messages that came
 * meanwhile: a message delivered again keeps no order).
 */
public interface MessageBus extends AutoCloseable {

    /**
     * Publishes a message; completes with true once the bus has taken it (a durable bus: stored), with
     * false when it took one with the same id within its window and dropped this one.
     */
    CompletableFuture<Boolean> publish(String topic, String id, byte[] message);

    /** Every subscriber of the topic gets every message. */
    Subscription subscribe(String topic, Handler handler);

    /**
     * Of the subscribers of the topic in {@code group}, one gets each message; on a durable bus the group
     * outlives its subscribers and the process, and a message stays until a member's handling completes.
     */
    Subscription subscribe(String topic, String group, Handler handler);

    /** True when a message the bus took survives the process's crash, and a queue group's until handled. */
    boolean durable();

    /** Stops every delivery; messages not yet delivered are dropped (a durable bus keeps them). */
    @Override
    void close();

    /** What a subscriber does with a message: it is handled once the stage completes. */
    @FunctionalInterface
    interface Handler {
        CompletionStage<?> handle(Delivery delivery);
    }

    /**
     * A message as it arrives.
     *
     * @param topic the topic it was published on (a wildcard subscription's subscribers learn it here)
     * @param id its id, as published
     */
    record Delivery(String topic, String id, byte[] body) {}

    /** A subscription, until it is closed. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
