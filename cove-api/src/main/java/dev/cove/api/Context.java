package dev.cove.api;

import java.time.Duration;
import java.time.Instant;

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

    /** The instant after which the activation ends as a timeout. */
    Instant deadline();

    /** The time left before {@link #deadline()}, never negative. */
    default Duration remainingTime() {
        Duration left = Duration.between(Instant.now(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
