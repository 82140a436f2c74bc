package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ExecutionStarted;
import java.time.Instant;
import java.util.Optional;

/**
 * One entry of an execution's history, in the order they happened.
 *
 * @param id 1 for ExecutionStarted, then one more for each event of the execution
 * @param timestamp from the engine's clock
 * @param type what happened
 * @param scope where, for events inside a Parallel branch or a Map iteration: {@code ""} at the top, then
 *     the state and the 0-based branch or item index, e.g. {@code Fan[1]} or {@code Fan[1]/Each[3]}
 * @param state the state it concerns; empty for the execution's own events
 * @param details what the type carries: {@code input}, {@code output}, {@code error} and {@code cause},
 *     {@code resource}, {@code attempt} and {@code delaySeconds}, {@code next}, {@code until}, {@code index}
 */
record HistoryEvent(long id, Instant timestamp, Type type, String scope, Optional<String> state,
        ObjectNode details) {

    /** The kinds of event. */
    public enum Type {
        ExecutionStarted, ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut, ExecutionAborted,
        StateEntered, StateExited, StateFailed,
        TaskScheduled, TaskSucceeded, TaskFailed,
        RetryScheduled, CaughtError, WaitStarted,
        BranchStarted, BranchSucceeded, BranchFailed,
        MapIterationStarted, MapIterationSucceeded, MapIterationFailed
    }

    public HistoryEvent {
        if (id < 1) {
            throw new IllegalArgumentException("event ids start at 1, was " + id);
        }
        details = details.deepCopy();
    }

    @Override
    public ObjectNode details() {
        return details.deepCopy();
    }

    /** {@code {"id", "timestamp", "type", "scope"?, "state"?, "details"}}, for storing and showing. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id).put("timestamp", timestamp.toString()).put("type", type.name());
        if (!scope.isEmpty()) {
            json.put("scope", scope);
        }
        state.ifPresent(name -> json.put("state", name));
        json.set("details", details.deepCopy());
        return json;
    }
}
