package dev.cove.core.model;

import java.util.concurrent.CompletableFuture;

/** The dispatcher's answer to an invocation. */
public sealed interface Admission {
    /**
     * It will run; {@code completion} completes with its activation. {@code running} when it went
     * straight to an instance: then its own deadline bounds when it completes; a queued one has
     * no deadline until it leaves the queue.
     */
    record Accepted(String activationId, CompletableFuture<Activation> completion, boolean running)
            implements Admission {}

    /** It was refused (HTTP 429), with a message for the caller. */
    record Rejected(String message) implements Admission {}
}
