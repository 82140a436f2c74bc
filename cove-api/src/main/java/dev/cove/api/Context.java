package dev.cove.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Facts about the activation a {@link Handler} is running. */
public interface Context {

    /** The activation's id, as listed by {@code cove activations}. */
    String activationId();

    /** The namespace the function belongs to. */
    String namespace();

    /** The function's name. */
    String functionName();

    /** The function's version, bumped by every deployment. */
    String functionVersion();

    /**
     * The environment variables the function was deployed with ({@code cove deploy -e KEY=VALUE}). Read
     * them here: {@code System.getenv()} is the environment of the JVM the function runs in (its worker,
     * or inline the platform's), not the function's.
     */
    Map<String, String> env();

    /** The instant after which the activation ends as a timeout. */
    Instant deadline();

    /**
     * Calls another function of the namespace and waits for its result. A function of the same
     * application is reached over the local bus, without going back through the HTTP gateway. The
     * called activation records this one as its {@code causedBy}.
     *
     * @throws InvocationException when the call was refused or the called function did not succeed
     */
    Map<String, Object> invoke(String function, Map<String, Object> params);

    /**
     * Starts another function of the namespace without waiting for it; answers its activation id.
     *
     * @throws InvocationException when the call was refused (no such function, a full queue)
     */
    String send(String function, Map<String, Object> params);

    /** The function's cache: its own entries, and with {@link Cache#app()} its application's. */
    Cache cache();

    /**
     * Publishes a message on a topic of the namespace: each trigger that subscribes to the topic fires
     * with it. Answers the message's event id once the fires are stored.
     *
     * @throws PublishException when the platform refused it (a bad topic name, a message over the limit)
     */
    String publish(String topic, Map<String, Object> message);

    /** The time left before {@link #deadline()}, never negative. */
    default Duration remainingTime() {
        Duration left = Duration.between(Instant.now(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
