package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cove.core.Node;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/namespaces/{ns}/cache}: the functions' cache counters ({@code GET}, {@code ?function=}
 * for one function's and its application's), and {@code DELETE …/cache/{function}} to empty a
 * function's cache ({@code ?scope=app} for its application's shared one).
 */
final class Caches {
    private final Node platform;

    Caches(Node platform) {
        this.platform = platform;
    }

    void stats(Exchange ex, String ns) throws ApiError {
        Optional<String> function = ex.query().name("function");
        ex.blocking(() -> function.isPresent()
                ? platform.cacheStats(ns, function.get()).orElseThrow(ApiError::notFound)
                : platform.cacheStats(ns), stats -> {
            ArrayNode list = Exchange.JSON.createArrayNode();
            stats.forEach(list::add);
            ex.json(200, list);
        });
    }

    void clear(Exchange ex, String ns, String function) throws ApiError {
        String scope = ex.query().oneOf("scope", "function", List.of("function", "app"));
        boolean application = scope.equals("app");
        ex.blocking(() -> {
            if (!platform.clearCache(ns, function, application)) {
                throw ApiError.notFound();
            }
            return Exchange.JSON.createObjectNode().put("cleared", function).put("scope", scope);
        }, answer -> ex.json(200, answer));
    }
}
