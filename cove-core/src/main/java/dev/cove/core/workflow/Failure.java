package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** An error as ASL sees it: a name (a Fail state may leave it out) and a cause. */
record Failure(Optional<String> error, Optional<String> cause) {
    static final String ALL = "States.ALL";
    static final String TIMEOUT = "States.Timeout";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String RUNTIME = "States.Runtime";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";

    static Failure of(String error, String cause) {
        return new Failure(Optional.of(error), Optional.of(cause));
    }

    /** What a Catch writes at its ResultPath: {@code {"Error": ..., "Cause": ...}}. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        error.ifPresent(value -> json.put("Error", value));
        cause.ifPresent(value -> json.put("Cause", value));
        return json;
    }

    /** The history's form: {@code {"error", "cause"}}. */
    ObjectNode details() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        error.ifPresent(value -> json.put("error", value));
        cause.ifPresent(value -> json.put("cause", value));
        return json;
    }
}
