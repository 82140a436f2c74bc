package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/** How one run of a Task ended. */
sealed interface TaskResult {

    /** The function returned this JSON. */
    record Succeeded(JsonNode output) implements TaskResult {
        public Succeeded {
            output = output.deepCopy();
        }
    }

    /**
     * The function failed with this ASL error name: {@code States.TaskFailed}, {@code States.Timeout}, or
     * a name of the function's own (which must not start with {@code States.}).
     */
    record Failed(String error, String cause) implements TaskResult {
        public Failed {
            if (error.isBlank()) {
                throw new IllegalArgumentException("a task failure needs an error name, was '" + error + "'");
            }
        }
    }

    static TaskResult succeeded(JsonNode output) {
        return new Succeeded(output);
    }

    static TaskResult failed(String error, String cause) {
        return new Failed(error, cause);
    }
}
