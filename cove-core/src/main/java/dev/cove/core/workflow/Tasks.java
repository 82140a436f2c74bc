package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How a workflow's Task states run: the platform invokes the function the Resource names. */
@FunctionalInterface
interface Tasks {

    /**
     * Starts the function and returns at once; the future completes with its result. A function's
     * failure is a {@link TaskResult.Failed}, not an exceptional completion: a future that completes
     * exceptionally fails the state with {@code States.TaskFailed} and the exception's message as cause.
     * The engine cancels the future when it no longer wants the result (the state timed out, a sibling
     * branch failed, the execution was cancelled).
     *
     * @param resource the Task's Resource, as written in the definition
     * @param input the Task's effective input (after InputPath and Parameters)
     * @param timeout the Task's TimeoutSeconds, if it has one; the engine enforces it too
     */
    CompletableFuture<TaskResult> run(String resource, JsonNode input, Optional<Duration> timeout);
}
