package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A dead letter: what a rule with retries could not get a function to do. The fire's payload is kept, so
 * that it can be delivered again.
 *
 * @param id the last failed activation's id, which names it
 * @param eventId the trigger's activation (the fire) that caused it
 * @param function the function whose every attempt failed
 * @param attempts how many activations were started, the first and the retries
 * @param error what the last one ended with
 * @param at when the last attempt ended
 */
public record TriggerFailure(String id, String namespace, String trigger, String rule, String function, String eventId,
        ObjectNode payload, int attempts, String error, Instant at) {
    public TriggerFailure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(at, "at");
        payload = payload.deepCopy();
    }

    @Override
    public ObjectNode payload() {
        return payload.deepCopy();
    }
}
