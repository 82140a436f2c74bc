package dev.cove.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

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

    @Test
    void everyChangeToAnEntryButItsExpiryIsToldToTheWatcher() {
        Cache cache = open(quota(3, 1_000_000));
        List<String> told = new ArrayList<>();
        cache.watch(new CacheWatcher() {
            @Override
            public void changed(Scope scope, Optional<String> key) {
                told.add(scope.function().orElse("app") + " " + key.orElse("*"));
            }

            @Override
            public void allChanged() {
                told.add("all");
            }
        });
        assertThat(cache.watching()).isTrue();
        cache.set(CART, "new", bytes("1"), Optional.empty());
        cache.setIfAbsent(CART, "new", bytes("2"), Optional.empty());
        cache.increment(SHOP, "n", 1, Optional.empty());
        assertThat(told).as("writes where there was nothing, or that wrote nothing").isEmpty();

        cache.set(CART, "new", bytes("3"), Optional.empty());
        cache.increment(SHOP, "n", 1, Optional.empty());
        cache.delete(CART, "new");
        assertThat(told).containsExactly("cart new", "app n", "cart new");

        told.clear();
        cache.set(CART, "short", bytes("1"), Optional.of(Duration.ofSeconds(1)));
        elapse(Duration.ofSeconds(2));
        assertThat(cache.get(CART, "short")).isEmpty();
        assertThat(told).as("an expiry").isEmpty();

        for (int i = 0; i < 10; i++) {
            cache.set(CART, "k" + i, bytes("v"), Optional.empty());
        }
        assertThat(told).as("evictions").hasSize((int) cache.stats(CART).evictions()).isNotEmpty();

        told.clear();
        cache.clear(CART);
        assertThat(told).as("a cleared scope, told of once").containsExactly("cart *");
    }
}
