package dev.cove.node;

import dev.cove.cache.redis.RedisSettings;
import dev.cove.core.Node;
import java.util.Objects;

/**
 * How to start one node: the core's settings and the adapters the operator chose, which the core
 * never names.
 *
 * @param platform the core's settings
 * @param cache where the functions' caches live
 */
public record NodeOptions(Node.Config platform, CacheChoice cache) {

    public NodeOptions {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(cache, "cache");
    }

    /** Where the functions' caches live. */
    public sealed interface CacheChoice permits EmbeddedCache, RedisCache {}

    /** In this process (Caffeine): nothing to install; entries live as long as the node. */
    public record EmbeddedCache() implements CacheChoice {}

    /** In a Redis, which other nodes naming it (with the same key prefix) share. */
    public record RedisCache(RedisSettings settings) implements CacheChoice {
        public RedisCache {
            Objects.requireNonNull(settings, "settings");
        }
    }
}
