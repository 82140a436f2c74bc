package dev.cove.cache.redis;

import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;

/**
 * The function cache kept in Redis (6 or later): shared by every platform that names the same Redis
 * and key prefix, and watched through Redis's client tracking so that workers may keep copies of what
 * they read. docs/cache.md says how to configure the Redis.
 */
public final class RedisCacheBackend {
    private RedisCacheBackend() {}

    /**
     * A backend on the Redis {@code redis} names, under {@code settings}' quotas. The connection pool
     * opens lazily, so a Redis that is down fails the first call, not this one.
     */
    public static CacheBackend create(RedisSettings redis, CacheSettings settings) {
        return new RedisCache(redis, settings);
    }
}
