package dev.cove.cache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.spi.CacheBackendContract;
import dev.cove.core.spi.CacheScope;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    @Test
    void aTagSpellsItsNamesLengthPrefixed() {
        assertThat(new String(RedisKeys.tag(CacheScope.function("guest", "shop", "cart")), UTF_8))
                .isEqualTo("5:guest4:shopf4:cart");
        assertThat(new String(RedisKeys.tag(CacheScope.application("guest", "shop")), UTF_8)).isEqualTo("5:guest4:shopa");
        assertThat(new String(RedisKeys.tag(CacheScope.application("é", "a:b")), UTF_8)).isEqualTo("2:é3:a:ba");
        assertThat(new String(RedisKeys.of("cove:", CacheScope.application("ns", "app")).data("k".getBytes(UTF_8)), UTF_8))
                .isEqualTo("cove:d{2:ns3:appa}k");
    }

    @Test
    void everyTagReadsBackAsItsScope() {
        for (CacheScope scope : CacheBackendContract.TRICKY_SCOPES) {
            assertThat(RedisKeys.scope(RedisKeys.tag(scope))).contains(scope);
        }
    }

    @Test
    void everyDataKeyReadsBackAsItsScopeAndKey() {
        for (CacheScope scope : CacheBackendContract.TRICKY_SCOPES) {
            for (String key : CacheBackendContract.TRICKY_KEYS) {
                byte[] data = RedisKeys.of("cove:", scope).data(key.getBytes(UTF_8));
                assertThat(RedisKeys.place("cove:", data)).contains(new RedisKeys.Place(scope, key));
                assertThat(RedisKeys.place("staging:", data)).as("another prefix's").isEmpty();
            }
        }
    }

    @Test
    void keysThatHoldNoEntryReadAsNone() {
        for (String notAnEntry : new String[] {"", "cove:", "cove:d{", "cove:{5:guest4:shopa}s", "cove:n5:guest",
                "cove:d{5:guest4:shopa", "cove:d{5:guest4:shopax", "cove:d{9:guest4:shopa}k", "other:d{1:a1:ba}k"}) {
            assertThat(RedisKeys.place("cove:", notAnEntry.getBytes(UTF_8))).as(notAnEntry).isEmpty();
        }
        assertThat(RedisKeys.place("cove:", "cove:d{1:a1:ba}".getBytes(UTF_8)))
                .as("the empty key").contains(new RedisKeys.Place(CacheScope.application("a", "b"), ""));
    }

    @Test
    void bytesThatAreNoTagReadAsNone() {
        for (String notATag : new String[] {"", "5:guest", "5:guest4:shop", "5:guest4:shopx", "5:guest4:shopa!",
                "9:guest4:shopa", "x:guest4:shopa", "5:guest4:shopf9:cart", "-1:a1:ba"}) {
            assertThat(RedisKeys.scope(notATag.getBytes(UTF_8))).as(notATag).isEmpty();
        }
    }

    @Test
    void noTwoTrickyScopeAndKeyPairsShareARedisKey() {
        Set<String> seen = new HashSet<>();
        for (CacheScope scope : CacheBackendContract.TRICKY_SCOPES) {
            RedisKeys keys = RedisKeys.of("cove:", scope);
            assertThat(seen.add(new String(keys.stats(), UTF_8))).isTrue();
            assertThat(seen.add(new String(keys.index(), UTF_8))).isTrue();
            assertThat(seen.add(new String(keys.sizes(), UTF_8))).isTrue();
            for (String key : CacheBackendContract.TRICKY_KEYS) {
                assertThat(seen.add(new String(keys.data(key.getBytes(UTF_8)), UTF_8))).as("%s %s", scope, key).isTrue();
            }
            assertThat(seen).doesNotContain(new String(keys.registry(), UTF_8));
        }
    }
}
