package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.Messages;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The calls a running function makes to other functions ({@code ctx.invoke}, {@code ctx.send}, and the
 * REST API it is told of). The platform gives its implementation (the local bus) to
 * {@link Runtimes#connect}, with the cache's; until then every call is refused.
 */
@FunctionalInterface
public interface Calls {

    /**
     * The deepest a chain of calls between functions goes ({@code ctx.invoke}, {@code ctx.send}): an
     * activation at this depth that calls once more is refused, so that a function calling itself
     * without an end stops there instead of running on (a chain of sends would outlive restarts).
     * Workers hear of it too, since they run some calls themselves (docs/worker-protocol.md, "peer").
     */
    int MAX_CALL_DEPTH = 50;

    /** Refuses every call. */
    Calls NONE = (caller, callerId, target, params, wait) -> CompletableFuture.completedFuture(
            new CallOutcome.Refused("Calls between functions are not available here."));

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
     * Publishes a message on a topic of the caller's namespace, for activation {@code callerId};
     * completes with the message's event id once the fires it caused are stored, or fails with an
     * {@link IllegalArgumentException} that says what was wrong with it.
     */
    default CompletableFuture<String> publish(FunctionRevision caller, String callerId, String topic, ObjectNode message) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(Messages.TOPICS_UNAVAILABLE));
    }

    /**
     * The environment that tells {@code function} how to reach the REST API: OpenWhisk's
     * {@code __OW_API_HOST}, and {@code __OW_API_KEY} when the function is annotated
     * {@code provide-api-key} (docs/functions.md, "Calling the REST API").
     */
    default Map<String, String> apiEnvironment(FunctionRevision function) {
        return Map.of();
    }

    /**
     * The version of {@code target} that a call from {@code caller} would run now, if the caller may call
     * it: where a worker finds out that a callee it may run itself was redeployed or deleted.
     */
    default Optional<FunctionRevision> revisionOf(FunctionRevision caller, String target) {
        return Optional.empty();
    }

    /**
     * Opens the activation {@code activationId} of {@code callee}, caused by {@code callerId}, that the
     * instance {@code host} runs itself (a fused call, docs/worker-protocol.md "peer"): it is recorded
     * like any other, ends as a timeout at the callee's time limit (stopping {@code host}), and hears its
     * output and outcome through the listener answered.
     */
    default RunListener fused(String callerId, String activationId, FunctionRevision callee, Instance host) {
        throw new UnsupportedOperationException("fused calls need a platform: no callee is offered without one");
    }

    /**
     * Whether the platform refuses invocations now (overloaded, shutting down): a worker running calls
     * itself is then taken back its callees, so that its calls meet the refusal too.
     */
    default boolean refusing() {
        return false;
    }
}
