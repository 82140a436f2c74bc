package dev.cove.core.cache;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionRevision;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a running function asks of its cache ({@code ctx.cache}): {@link CacheGateway} answers, once the
 * platform has connected it to the runtimes; until then every operation is refused.
 */
@FunctionalInterface
public interface CacheCalls {

    /** Refuses every operation. */
    CacheCalls NONE = (function, request, copies) -> CompletableFuture.completedFuture(
            JsonNodeFactory.instance.objectNode().put("error", "The cache is not available here."));

    /**
     * A cache operation of a function's: the fields of its {@code cache} frame (docs/worker-protocol.md),
     * answered with the fields of the {@code cached} frame, {@code {"error": …}} when refused. A worker
     * that keeps copies of what it gets passes {@code copies}, to hear of changes to them.
     */
    CompletableFuture<ObjectNode> handle(FunctionRevision function, ObjectNode request, Optional<CacheCopies> copies);

    /** The keeper of copies ended: it hears of no more changes. */
    default void forget(CacheCopies copies) {
        // nothing was kept without a cache
    }

    /** Gets of the function's that a worker answered from its copies: counted among its scopes' hits. */
    default void countHits(FunctionRevision function, long functionHits, long appHits) {
        // no cache, no hits
    }
}
