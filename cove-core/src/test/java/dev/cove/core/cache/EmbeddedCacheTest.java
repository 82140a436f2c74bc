package dev.cove.core.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

class EmbeddedCacheTest extends CacheContract {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    Cache create(CacheSettings settings) {
        return Cache.embedded(settings, nanos::get);
    }

    @Override
    void elapse(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    Optional<Duration> timeToLive(Cache cache, Scope scope, String key) {
        return ((EmbeddedCache) cache).timeToLive(scope, key);
    }
}
