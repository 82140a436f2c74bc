package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.registry.FunctionRevision;
import java.util.concurrent.CompletableFuture;

/**
 * What a running function may ask of the platform: to call another function ({@code ctx.invoke},
 * {@code ctx.send}) and to use its cache ({@code ctx.cache}). The platform gives its implementation (the
 * local bus and the cache) to {@link Runtimes#connect}; until then every call is refused.
 */
@FunctionalInterface
public interface Calls {

    /** Refuses every call. */
    Calls NONE = (caller, callerId, target, params, wait) -> CompletableFuture.completedFuture(
            new CallOutcome.Refused("Calls between functions are not available here."));

    /**
     * A call made by the function of activation {@code callerId}, an instance of {@code caller}.
     *
     * @param target the called function's name, in the caller's namespace
     * @param wait true to complete with the callee's outcome ({@code invoke}), false once it is
     *     admitted ({@code send})
     */
    CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target, ObjectNode params,
            boolean wait);

    /**
     * A cache operation of a function's: the fields of its {@code cache} frame (docs/worker-protocol.md),
     * answered with the fields of the {@code cached} frame, {@code {"error": …}} when refused.
     */
    default CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request) {
        return CompletableFuture.completedFuture(Frames.object().put("error", "The cache is not available here."));
    }

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
