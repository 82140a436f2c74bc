package dev.cove.core.cache;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.spi.CacheBackendContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's part in the copies workers keep: how long they may live, and who hears of changes. Its
 * functions and frames serve the Redis backend's gateway tests too (cove-cache-redis).
 */
public class CacheGatewayTest {
    public static final FunctionRevision TILE = revision("tile");
    public static final FunctionRevision ORIGIN = revision("origin");

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final CacheGateway gateway = CacheGateway.create(CacheGateway.embeddedBackend(CacheSettings.defaults(), nanos::get),
            new SimpleMeterRegistry());
    final List<String> told = new CopyOnWriteArrayList<>();
    final CacheCopies keeper = keeper(told);

    static FunctionRevision revision(String name) {
        return new FunctionRevision("guest", FunctionSpec.of(name, Kind.NODEJS, Code.source(""), "main"), 1,
                Instant.now(), "tiles");
    }

    /** A keeper of copies that notes what it is told as "function key" lines, "*" for a whole scope. */
    public static CacheCopies keeper(List<String> told) {
        return (scope, key) -> told.add(CacheBackendContract.Told.name(scope) + " " + key.orElse("*"));
    }

    /** A cache frame's fields (docs/worker-protocol.md). */
    public static ObjectNode op(String op, String scope, String key) {
        return JsonNodeFactory.instance.objectNode().put("op", op).put("scope", scope).put("key", key);
    }

    ObjectNode answer(FunctionRevision function, ObjectNode request, Optional<CacheCopies> copies) {
        return gateway.handle(function, request, copies).join();
    }

    @Test
    void aKeeperLearnsHowLongItsCopyMayLiveAndHearsOfEveryChangeToTheScopesItRead() {
        answer(ORIGIN, op("set", "function", "t").put("value", "png").put("ttlMs", 60_000), Optional.empty());
        answer(ORIGIN, op("set", "app", "health").put("value", "ok"), Optional.empty());
        ObjectNode got = answer(ORIGIN, op("get", "function", "t"), Optional.of(keeper));
        assertThat(got.path("value").asText()).isEqualTo("png");
        assertThat(got.path("keepMs").asLong()).isBetween(59_000L, 59_999L);
        assertThat(answer(ORIGIN, op("get", "function", "nothing"), Optional.of(keeper)).has("keepMs")).isFalse();
        assertThat(answer(ORIGIN, op("get", "app", "health"), Optional.empty()).has("keepMs"))
                .as("a get from someone who keeps nothing").isFalse();

        answer(ORIGIN, op("set", "function", "t").put("value", "new"), Optional.empty());
        answer(TILE, op("set", "function", "t").put("value", "tile's own"), Optional.empty());
        answer(ORIGIN, op("delete", "app", "health"), Optional.empty());
        assertThat(told).as("changes to origin's scope, not tile's nor the application's it did not read")
                .containsExactly("origin t");

        answer(ORIGIN, op("get", "app", "anything"), Optional.of(keeper));
        answer(TILE, op("set", "app", "health").put("value", "ok"), Optional.empty());
        answer(TILE, op("increment", "app", "health2").put("by", 1), Optional.empty());
        answer(TILE, op("increment", "app", "health2").put("by", 1), Optional.empty());
        gateway.clear(ORIGIN, false);
        assertThat(told).containsExactly("origin t", "app health2", "origin *");

        gateway.forget(keeper);
        answer(ORIGIN, op("set", "function", "x").put("value", 1), Optional.empty());
        answer(ORIGIN, op("set", "function", "x").put("value", 2), Optional.empty());
        assertThat(told).as("a forgotten keeper hears nothing more").hasSize(3);
    }

    @Test
    void hitsOfCopiesCountInTheFunctionsScopes() {
        answer(TILE, op("set", "function", "t").put("value", 1), Optional.empty());
        answer(TILE, op("set", "app", "a").put("value", 1), Optional.empty());
        gateway.countHits(TILE, 4, 2);
        assertThat(gateway.stats(TILE)).extracting(s -> s.path("hits").asLong())
                .containsExactly(4L, 2L);
    }
}
