package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One activation to run.
 *
 * @param activationId the activation's id
 * @param params the parameters, defaults already merged
 * @param deadline when the activation ends as a timeout
 */
public record RunRequest(String activationId, ObjectNode params, Instant deadline) {}
