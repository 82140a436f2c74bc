package dev.cove.core.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A failed activation as {@code cove replay} needs it after a restart: the function version it ran on
 * and the parameters it had, which its record doesn't keep. The version is a number only: the store
 * keeps a function's current version, not the code of those deployed over. Times are to the
 * millisecond, as the store keeps them.
 *
 * @param namespace the function's namespace
 * @param activationId the failed activation's id
 * @param function the function's name
 * @param version the version it ran on ({@link FunctionRevision#version})
 * @param inline whether it ran in the inline tier, in the server's JVM, which leaves no sandbox
 * @param params its parameters (the function's defaults merged under them), as JSON text
 * @param started when it began, so that it leaves the store with its record
 */
public record ReplayableFailure(String namespace, String activationId, String function, int version,
        boolean inline, String params, Instant started) {

    public ReplayableFailure {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(function, "function");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        Objects.requireNonNull(params, "params");
        started = started.truncatedTo(ChronoUnit.MILLIS);
    }
}
