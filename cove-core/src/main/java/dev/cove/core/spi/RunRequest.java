package dev.cove.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One activation to run.
 *
 * @param activationId the activation's id
 * @param params the parameters: an object, defaults already merged, or an array (a sequence passes its
 *     component's array result on as the next one's parameters, as OpenWhisk does)
 * @param deadline when the activation ends as a timeout
 * @param depth its place in its chain of calls: 1 when no function called it
 */
public record RunRequest(String activationId, JsonNode params, Instant deadline, int depth) {

    /** An activation nothing called. */
    public RunRequest(String activationId, JsonNode params, Instant deadline) {
        this(activationId, params, deadline, 1);
    }
}
