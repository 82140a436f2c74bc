package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * How an execution ended.
 *
 * @param output present exactly when it succeeded
 * @param error the ASL error name when it did not succeed (a Fail state may leave it out)
 * @param cause the explanation that went with the error
 */
record Outcome(String executionId, Status status, Optional<JsonNode> output, Optional<String> error,
        Optional<String> cause, Instant started, Instant ended) {

    /** The end states of an execution. */
    public enum Status {
        SUCCEEDED,
        FAILED,
        /** The definition's top-level TimeoutSeconds passed; the error is {@code States.Timeout}. */
        TIMED_OUT,
        /** {@link Execution#cancel} stopped it. */
        ABORTED
    }

    public Outcome {
        if (output.isPresent() != (status == Status.SUCCEEDED)) {
            throw new IllegalArgumentException("an outcome has an output exactly when it succeeded; status was "
                    + status + ", output " + (output.isPresent() ? "present" : "absent"));
        }
        if (ended.isBefore(started)) {
            throw new IllegalArgumentException("an execution can't end (" + ended + ") before it starts ("
                    + started + ")");
        }
        output = output.map(JsonNode::deepCopy);
    }

    @Override
    public Optional<JsonNode> output() {
        return output.map(JsonNode::deepCopy);
    }

    /** {@code {"executionId", "status", "output"|"error","cause", "started", "ended"}}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("executionId", executionId).put("status", status.name());
        output.ifPresent(value -> json.set("output", value.deepCopy()));
        error.ifPresent(value -> json.put("error", value));
        cause.ifPresent(value -> json.put("cause", value));
        return json.put("started", started.toString()).put("ended", ended.toString());
    }
}
