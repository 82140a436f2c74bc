package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCopies;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a running function may ask of the platform ({@link FunctionCalls}), and what a worker process
 * asks besides: its cache's copies, the REST API's environment, fused calls. The platform gives its
 * implementation (the local bus and the cache) to {@link Runtimes#connect}; until then every call is
 * refused.
 */
@FunctionalInterface
public interface Calls extends FunctionCalls {

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
     * A cache operation of a function's: the fields of its {@code cache} frame (docs/worker-protocol.md),
     * answered with the fields of the {@code cached} frame, {@code {"error": …}} when refused. A worker
     * that keeps copies of what it gets passes {@code copies}, to hear of changes to them.
     */
    default CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request,
            Optional<CacheCopies> copies) {
        return CompletableFuture.completedFuture(Frames.object().put("error", "The cache is not available here."));
    }

    /** A cache operation of a function that keeps no copies (one run inline). */
    @Override
    default CompletableFuture<ObjectNode> cache(FunctionRevision caller, ObjectNode request) {
        return cache(caller, request, Optional.empty());
    }

    /**
     * The environment that tells {@code function} how to reach the REST API: OpenWhisk's
     * {@code __OW_API_HOST}, and {@code __OW_API_KEY} when the function is annotated
     * {@code provide-api-key} (docs/functions.md, "Calling the REST API").
     */
    default Map<String, String> apiEnvironment(FunctionRevision function) {
        return Map.of();
    }

    /** The keeper of copies ended: it hears of no more changes. */
    default void forget(CacheCopies copies) {
        // nothing was kept without a cache
    }

    /** Gets of the function's that a worker answered from its copies: counted among its scopes' hits. */
    default void cacheHits(FunctionRevision function, long functionHits, long appHits) {
        // no cache, no hits
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
