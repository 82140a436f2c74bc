package dev.cove.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.JsonValue;
import java.util.concurrent.CompletableFuture;

/**
 * What a running function may ask of the platform, whichever tier runs it: to call another function
 * ({@code ctx.invoke}, {@code ctx.send}) and to use its cache ({@code ctx.cache}). The platform
 * implements it; an {@link InlineTier}'s instances are handed it when they start. A function also publishes
 * messages on topics ({@code ctx.publish}) through it.
 *
 * <p>Both answers complete later, on a platform thread: a caller on a virtual thread may wait for them.
 */
public interface FunctionCalls {

    /**
     * The parameter that says what fired an activation (a trigger's fire, a topic's message): a worker
     * hands it to Kubeless-style functions as their event, and takes it out of every other's parameters.
     */
    String FIRED_BY = "__cove_event";

    /**
     * A call made by the function of activation {@code callerId}, an instance of {@code caller}.
     *
     * @param target the called function's name, in the caller's namespace
     * @param params an object; a waited-for call may pass an array (a sequence's component's result)
     * @param wait true to complete with the callee's outcome ({@code invoke}), false once it is
     *     admitted ({@code send})
     */
    CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target, JsonNode params,
            boolean wait);

    /**
     * A cache operation of a function's: the fields of its {@code cache} frame (docs/worker-protocol.md),
     * answered with the fields of the {@code cached} frame, {@code {"error": …}} when refused.
     */
    CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request);

    /**
     * A message published by the function of activation {@code callerId} on a topic of its namespace;
     * completes with the message's event id once the fires it caused are stored, or fails with an
     * {@link IllegalArgumentException} that says what was wrong with it.
     */
    CompletableFuture<String> publish(FunctionRevision caller, String callerId, String topic, ObjectNode message);

    /** How a call ended, as the caller hears of it. */
    sealed interface CallOutcome {
        /** The call was not admitted: no such function, a full queue, a shutdown. */
        record Refused(String message) implements CallOutcome {}

        /** A {@code send} was admitted; its activation runs on its own. */
        record Accepted(String activationId) implements CallOutcome {}

        /**
         * The called activation ended.
         *
         * @param status OpenWhisk's label: success, application error, action developer error, …
         * @param result its result, {@code {"error": …}} when it failed
         */
        record Ended(String activationId, boolean success, String status, JsonValue result) implements CallOutcome {}
    }
}
