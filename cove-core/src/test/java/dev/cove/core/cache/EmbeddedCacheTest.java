package dev.cove.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.CacheBackendContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The contract over the embedded backend, on a ticker the test moves, and what only it does. */
class EmbeddedCacheTest extends CacheBackendContract {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    protected CacheBackend create(CacheSettings settings) {
        return CacheGateway.embeddedBackend(settings, nanos::get);
    }

    @Override
    protected void elapse(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void everyChangeToAnEntryButItsExpiryIsToldToTheWatcher() {
        CacheBackend cache = open(quota(3, 1_000_000));
        Told told = new Told(cache);
        assertThat(cache.watching()).isTrue();
        cache.set(CART, "new", bytes("1"));
        cache.setIfAbsent(CART, "new", bytes("2"));
        cache.increment(SHOP, "n", 1);
        assertThat(told.lines).as("writes where there was nothing, or that wrote nothing").isEmpty();

        cache.set(CART, "new", bytes("3"));
        cache.increment(SHOP, "n", 1);
        cache.delete(CART, "new");
        assertThat(told.lines).containsExactly("cart new", "app n", "cart new");

        told.lines.clear();
        cache.set(CART, "short", bytes("1"), Duration.ofSeconds(1));
        elapse(Duration.ofSeconds(2));
        assertThat(cache.get(CART, "short")).isEmpty();
        assertThat(told.lines).as("an expiry").isEmpty();

        for (int i = 0; i < 10; i++) {
            cache.set(CART, "k" + i, bytes("v"));
        }
        assertThat(told.lines).as("evictions").hasSize((int) cache.stats(CART).evictions()).isNotEmpty();

        told.lines.clear();
        cache.clear(CART);
        assertThat(told.lines).as("a cleared scope, told of once").containsExactly("cart *");
    }
}
