package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One activation to run.
 *
 * @param activationId the activation's id
 * @param params the parameters, defaults already merged
 * @param deadline when the activation ends as a timeout
 * @param depth its place in its chain of calls: 1 when no function called it
 */
public record RunRequest(String activationId, ObjectNode params, Instant deadline, int depth) {

    /** An activation nothing called. */
    public RunRequest(String activationId, ObjectNode params, Instant deadline) {
        this(activationId, params, deadline, 1);
    }
}
