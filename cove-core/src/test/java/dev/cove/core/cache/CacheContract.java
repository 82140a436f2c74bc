package dev.cove.core.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link Cache} must do; each backend's test extends this. */
abstract class CacheContract {
    static final Scope CART = Scope.function("guest", "shop", "cart");
    static final Scope SHOP = Scope.application("guest", "shop");
    static final Duration MINUTE = Duration.ofMinutes(1);

    private final List<Cache> opened = new ArrayList<>();

    /** A cache of this backend with no entries. */
    abstract Cache create(CacheSettings settings);

    /** Lets time pass: a fake ticker's, or the real one's. */
    abstract void elapse(Duration duration);

    Cache open(CacheSettings settings) {
        Cache cache = create(settings);
        opened.add(cache);
        return cache;
    }

    Cache open() {
        return open(CacheSettings.defaults());
    }

    @AfterEach
    void closeCaches() {
        opened.forEach(Cache::close);
    }

    static CacheSettings quota(long entries, long bytes) {
        return new CacheSettings(Duration.ofHours(1), Duration.ofHours(24), 1000, 100, entries, bytes);
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(Optional<byte[]> value) {
        return value.map(v -> new String(v, UTF_8)).orElse("(none)");
    }

    /** Polls: a real backend's expiry lands within milliseconds of the TTL, not on it. */
    static void awaitGone(Cache cache, Scope scope, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (cache.get(scope, key).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(cache.get(scope, key)).as("entry %s after its TTL", key).isEmpty();
    }

    // --- values ---

    @Test
    void everyByteRoundTrips() {
        Cache cache = open();
        byte[] all = new byte[256];
        IntStream.range(0, 256).forEach(i -> all[i] = (byte) i);
        cache.set(CART, "all", all, Optional.empty());
        cache.set(CART, "none", new byte[0], Optional.empty());
        assertThat(cache.get(CART, "all")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
        assertThat(cache.get(CART, "none")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(cache.get(CART, "never")).isEmpty();
    }

    @Test
    void aSetReplacesAndTheCallersArraysStayItsOwn() {
        Cache cache = open();
        byte[] value = bytes("one");
        cache.set(CART, "k", value, Optional.empty());
        value[0] = 'X';
        cache.get(CART, "k").orElseThrow()[0] = 'Y';
        assertThat(text(cache.get(CART, "k"))).isEqualTo("one");
        cache.set(CART, "k", bytes("two"), Optional.empty());
        assertThat(text(cache.get(CART, "k"))).isEqualTo("two");
    }

    @Test
    void aValueOverTheLimitIsRefusedAndOneAtItIsKept() {
        Cache cache = open();
        assertThatThrownBy(() -> cache.set(CART, "big", new byte[2 * 1024 * 1024], Optional.empty()))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The value is 2097152 bytes, over the cache's limit of 1048576 bytes.");
        assertThatThrownBy(() -> cache.setIfAbsent(CART, "big", new byte[1024 * 1024 + 1], Optional.empty()))
                .hasMessage("The value is 1048577 bytes, over the cache's limit of 1048576 bytes.");
        assertThat(cache.get(CART, "big")).isEmpty();
        cache.set(CART, "big", new byte[1024 * 1024], Optional.empty());
        assertThat(cache.get(CART, "big")).hasValueSatisfying(v -> assertThat(v).hasSize(1024 * 1024));
    }

    @Test
    void keysUpToTheLimitInUtf8AreKeptLongerOnesAndLoneSurrogatesRefused() {
        Cache cache = open();
        cache.set(CART, "x".repeat(1024), bytes("ascii"), Optional.empty());
        cache.set(CART, "é".repeat(512), bytes("two-byte"), Optional.empty());
        assertThat(text(cache.get(CART, "x".repeat(1024)))).isEqualTo("ascii");
        assertThat(text(cache.get(CART, "é".repeat(512)))).isEqualTo("two-byte");
        assertThatThrownBy(() -> cache.set(CART, "x".repeat(1025), bytes("v"), Optional.empty()))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The key is 1025 bytes in UTF-8, over the cache's limit of 1024 bytes.");
        assertThatThrownBy(() -> cache.get(CART, "é".repeat(513)))
                .hasMessage("The key is 1026 bytes in UTF-8, over the cache's limit of 1024 bytes.");
        assertThatThrownBy(() -> cache.set(CART, "ab\uD800", bytes("v"), Optional.empty()))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The key is not valid Unicode: it has a lone surrogate at index 2.");
        assertThat(cache.get(CART, "ab?")).isEmpty();
    }

    // --- expiry ---

    @Test
    void anEntryLivesForTheDefaultTtlOrTheOneGiven() {
        Cache cache = open();
        cache.set(CART, "default", bytes("v"), Optional.empty());
        cache.set(CART, "ten", bytes("v"), Optional.of(Duration.ofMinutes(10)));
        cache.set(CART, "max", bytes("v"), Optional.of(Duration.ofHours(24)));
        assertThat(cache.getEntry(CART, "default").map(Cache.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1)));
        assertThat(cache.getEntry(CART, "ten").map(Cache.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
        assertThat(cache.getEntry(CART, "max").map(Cache.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofHours(23), Duration.ofHours(24)));
    }

    @Test
    void aTtlOverTheMaximumOrUnderAMillisecondIsRefused() {
        Cache cache = open();
        assertThatThrownBy(() -> cache.set(CART, "k", bytes("v"), Optional.of(Duration.ofHours(48))))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The TTL is 48 h, over the cache's maximum of 24 h.");
        assertThatThrownBy(() -> cache.set(CART, "k", bytes("v"), Optional.of(Duration.ofMillis(86_400_001))))
                .hasMessage("The TTL is 86400001 ms, over the cache's maximum of 24 h.");
        assertThatThrownBy(() -> cache.increment(CART, "k", 1, Optional.of(Duration.ZERO)))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The TTL is 0 ms; it must be at least 1 ms.");
        assertThatThrownBy(() -> cache.setIfAbsent(CART, "k", bytes("v"), Optional.of(Duration.ofSeconds(-5))))
                .hasMessage("The TTL is -5000 ms; it must be at least 1 ms.");
        assertThat(cache.get(CART, "k")).isEmpty();
    }

    @Test
    void anEntryExpiresAfterItsTtlAndOthersStay() throws InterruptedException {
        Cache cache = open();
        cache.set(CART, "short", bytes("v"), Optional.of(Duration.ofMillis(50)));
        cache.increment(CART, "counter", 1, Optional.of(Duration.ofMillis(50)));
        cache.set(CART, "long", bytes("v"), Optional.of(MINUTE));
        elapse(Duration.ofMillis(60));
        awaitGone(cache, CART, "short");
        awaitGone(cache, CART, "counter");
        assertThat(text(cache.get(CART, "long"))).isEqualTo("v");
        assertThat(cache.stats(CART).entries()).isEqualTo(1);
        assertThat(cache.stats(CART).bytes()).isEqualTo(5);
    }

    // --- delete, setIfAbsent ---

    @Test
    void deleteRemovesAndSaysWhetherThereWasAnEntry() {
        Cache cache = open();
        cache.set(CART, "k", bytes("v"), Optional.empty());
        assertThat(cache.delete(CART, "k")).isTrue();
        assertThat(cache.delete(CART, "k")).isFalse();
        assertThat(cache.delete(CART, "never")).isFalse();
        assertThat(cache.get(CART, "k")).isEmpty();
        assertThat(cache.stats(CART).entries()).isZero();
        assertThat(cache.stats(CART).bytes()).isZero();
    }

    @Test
    void setIfAbsentWritesOnlyWhereThereIsNoEntry() {
        Cache cache = open();
        assertThat(cache.setIfAbsent(CART, "k", bytes("first"), Optional.empty())).isTrue();
        assertThat(cache.setIfAbsent(CART, "k", bytes("second"), Optional.empty())).isFalse();
        assertThat(text(cache.get(CART, "k"))).isEqualTo("first");
        assertThat(cache.stats(CART).bytes()).isEqualTo(6);
        cache.delete(CART, "k");
        assertThat(cache.setIfAbsent(CART, "k", bytes("third"), Optional.empty())).isTrue();
        assertThat(text(cache.get(CART, "k"))).isEqualTo("third");
    }

    // --- increment ---

    @Test
    void incrementCountsFromZeroAndFromWhatIsThere() {
        Cache cache = open();
        assertThat(cache.increment(CART, "n", 5, Optional.empty())).isEqualTo(5);
        assertThat(cache.increment(CART, "n", -7, Optional.empty())).isEqualTo(-2);
        assertThat(text(cache.get(CART, "n"))).isEqualTo("-2");
        cache.set(CART, "m", bytes("41"), Optional.empty());
        assertThat(cache.increment(CART, "m", 1, Optional.empty())).isEqualTo(42);
        assertThat(cache.stats(CART).bytes()).isEqualTo(("n-2" + "m42").length());
    }

    @Test
    void aNewCounterTakesTheTtlAndAnExistingOneKeepsItsExpiry() {
        Cache cache = open();
        cache.increment(CART, "n", 1, Optional.of(Duration.ofMinutes(10)));
        cache.increment(CART, "n", 1, Optional.of(Duration.ofHours(2)));
        cache.increment(CART, "n", 1, Optional.empty());
        assertThat(cache.getEntry(CART, "n").map(Cache.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
    }

    @Test
    void incrementRefusesWhatIsNotAnIntegersDecimalTextAndLeavesIt() {
        Cache cache = open();
        for (String value : List.of("abc", "", "1.5", " 5", "5 ", "+5", "007", "-0", "99999999999999999999", "0x10")) {
            cache.set(CART, "k", bytes(value), Optional.empty());
            assertThatThrownBy(() -> cache.increment(CART, "k", 1, Optional.empty()))
                    .as("increment of '%s'", value)
                    .isInstanceOf(CacheRefusedException.class)
                    .hasMessage("The entry holds a value that is not an integer's decimal text, so it cannot be incremented.");
            assertThat(text(cache.get(CART, "k"))).isEqualTo(value);
        }
        cache.set(CART, "k", bytes("0"), Optional.empty());
        assertThat(cache.increment(CART, "k", -1, Optional.empty())).isEqualTo(-1);
    }

    @Test
    void incrementRefusesToOverflowAndLeavesTheValue() {
        Cache cache = open();
        cache.set(CART, "max", bytes(Long.toString(Long.MAX_VALUE)), Optional.empty());
        assertThatThrownBy(() -> cache.increment(CART, "max", 1, Optional.empty()))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("Incrementing 9223372036854775807 by 1 would leave the range of a 64-bit integer.");
        assertThat(cache.increment(CART, "min", Long.MIN_VALUE, Optional.empty())).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> cache.increment(CART, "min", -1, Optional.empty()))
                .hasMessage("Incrementing -9223372036854775808 by -1 would leave the range of a 64-bit integer.");
        assertThat(text(cache.get(CART, "max"))).isEqualTo("9223372036854775807");
        assertThat(cache.increment(CART, "max", -1, Optional.empty())).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void concurrentIncrementsAllCount() throws Exception {
        Cache cache = open();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> IntStream.range(0, 250)
                        .forEach(i -> cache.increment(CART, "n", 1, Optional.empty()))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(text(cache.get(CART, "n"))).isEqualTo("1000");
    }

    // --- isolation ---

    /** Names that a naive "ns:app:fn:key" layout, or a careless length prefix, would let collide. */
    static final List<Scope> TRICKY_SCOPES = List.of(
            Scope.function("ns", "app", "fn"),
            Scope.application("ns", "app"),
            Scope.function("ns", "app", "fn:k"),
            Scope.function("ns", "app:fn", "k"),
            Scope.function("ns:app", "fn", "k"),
            Scope.application("ns", "app:fn"),
            Scope.application("ns", "appa"),
            Scope.function("ns", "app", "a"),
            Scope.function("2:ns", "app", "fn"),
            Scope.function("ns", "3:app", "fn"),
            Scope.function("ns3:app", "f2", "fn"),
            Scope.function("ns", "app}", "{fn"),
            Scope.function("ns", "..", "*"),
            Scope.function("ns/..", "app", "fn"),
            Scope.function("n\u0000s", "app", "fn"),
            Scope.function("ns", "app", "fné"),
            Scope.function("other", "app", "fn"),
            Scope.function("ns", "other", "fn"));

    static final List<String> TRICKY_KEYS = List.of("", ":", "::", "..", "../fn", "*", "k", "fn:k", "k}x", "{k}",
            "2:fn", "f2:fnk", "a", "a\u0000b", "é", "x".repeat(1024));

    @Test
    void noScopeOrKeyReachesAnotherScopesEntries() {
        Cache cache = open();
        for (int s = 0; s < TRICKY_SCOPES.size(); s++) {
            for (int k = 0; k < TRICKY_KEYS.size(); k++) {
                cache.set(TRICKY_SCOPES.get(s), TRICKY_KEYS.get(k), bytes(s + "/" + k), Optional.empty());
            }
        }
        assertEveryEntryIsItsOwn(cache, 0);
        for (Scope scope : TRICKY_SCOPES) {
            assertThat(cache.stats(scope).entries()).as("entries of %s", scope).isEqualTo(TRICKY_KEYS.size());
        }
    }

    @Test
    void clearingAScopeLeavesEveryOtherScopesEntries() {
        Cache cache = open();
        TRICKY_SCOPES.forEach(scope -> TRICKY_KEYS.forEach(
                key -> cache.set(scope, key, bytes(TRICKY_SCOPES.indexOf(scope) + "/" + TRICKY_KEYS.indexOf(key)),
                        Optional.empty())));
        cache.clear(TRICKY_SCOPES.get(0));
        TRICKY_KEYS.forEach(key -> assertThat(cache.get(TRICKY_SCOPES.get(0), key)).isEmpty());
        assertEveryEntryIsItsOwn(cache, 1);
        assertThat(cache.stats(TRICKY_SCOPES.get(0)).entries()).isZero();
    }

    private static void assertEveryEntryIsItsOwn(Cache cache, int fromScope) {
        for (int s = fromScope; s < TRICKY_SCOPES.size(); s++) {
            for (int k = 0; k < TRICKY_KEYS.size(); k++) {
                assertThat(text(cache.get(TRICKY_SCOPES.get(s), TRICKY_KEYS.get(k))))
                        .as("%s key #%d", TRICKY_SCOPES.get(s), k).isEqualTo(s + "/" + k);
            }
        }
    }

    @Test
    void aFunctionAndItsApplicationHoldDifferentEntriesUnderOneKey() {
        Cache cache = open();
        cache.set(CART, "k", bytes("mine"), Optional.empty());
        cache.set(SHOP, "k", bytes("shared"), Optional.empty());
        cache.set(Scope.function("guest", "shop", "pay"), "k", bytes("pay's"), Optional.empty());
        cache.delete(CART, "k");
        assertThat(text(cache.get(SHOP, "k"))).isEqualTo("shared");
        assertThat(text(cache.get(CART.applicationScope(), "k"))).isEqualTo("shared");
        assertThat(text(cache.get(Scope.function("guest", "shop", "pay"), "k"))).isEqualTo("pay's");
    }

    // --- quotas ---

    @Test
    void writingPastTheEntryQuotaEvictsAndKeepsTheScopeAtIt() {
        Cache cache = open(quota(10, 1_000_000));
        for (int i = 0; i < 50; i++) {
            cache.set(CART, "k" + i, bytes("v"), Optional.empty());
        }
        CacheStats stats = cache.stats(CART);
        assertThat(stats.entries()).isBetween(1L, 10L);
        assertThat(stats.entries() + stats.evictions()).isEqualTo(50);
        assertThat(stats.bytes()).isEqualTo(stats.entries() * 3 + countLongKeys(cache, 10, 50));
    }

    /** Keys "k10".."k49" are a byte longer than "k0".."k9": what the surviving ones add to the bytes. */
    private static long countLongKeys(Cache cache, int from, int to) {
        return IntStream.range(from, to).filter(i -> cache.get(CART, "k" + i).isPresent()).count();
    }

    @Test
    void writingPastTheByteQuotaEvictsAndKeepsTheScopeUnderIt() {
        Cache cache = open(quota(1000, 10_000));
        for (int i = 0; i < 50; i++) {
            cache.set(CART, String.format("k%02d", i), new byte[1000], Optional.empty());
        }
        CacheStats stats = cache.stats(CART);
        assertThat(stats.bytes()).isLessThanOrEqualTo(10_000).isEqualTo(stats.entries() * 1003);
        assertThat(stats.entries()).isBetween(1L, 9L);
        assertThat(stats.entries() + stats.evictions()).isEqualTo(50);
    }

    @Test
    void oneScopesWritesNeverEvictAnothersEntries() {
        Cache cache = open(quota(10, 1_000_000));
        for (int i = 0; i < 5; i++) {
            cache.set(SHOP, "k" + i, bytes("v"), Optional.empty());
        }
        for (int i = 0; i < 100; i++) {
            cache.set(CART, "k" + i, bytes("v"), Optional.empty());
        }
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(SHOP, "k" + i)).as("shared k%d", i).isPresent();
        }
        assertThat(cache.stats(SHOP).evictions()).isZero();
    }

    // --- stats, scopes, clear ---

    @Test
    void statsCountHitsMissesEntriesAndKeyAndValueBytes() {
        Cache cache = open();
        assertThat(cache.stats(CART)).isEqualTo(CacheStats.empty());
        cache.set(CART, "a", bytes("xyz"), Optional.empty());
        cache.set(CART, "bb", bytes("1"), Optional.empty());
        cache.get(CART, "a");
        cache.get(CART, "zz");
        cache.get(CART, "bb");
        assertThat(cache.stats(CART)).isEqualTo(new CacheStats(2, 1, 0, 2, 7));
        cache.set(CART, "bb", bytes("12345"), Optional.empty());
        cache.delete(CART, "a");
        assertThat(cache.stats(CART)).isEqualTo(new CacheStats(2, 1, 0, 1, 7));
        assertThat(cache.stats(SHOP)).isEqualTo(CacheStats.empty());
    }

    @Test
    void hitsThatCopiesAnsweredCountAmongTheScopesHits() {
        Cache cache = open();
        cache.set(CART, "a", bytes("xyz"), Optional.empty());
        cache.get(CART, "a");
        cache.countHits(CART, 5);
        assertThat(cache.stats(CART).hits()).isEqualTo(6);
        assertThat(cache.stats(SHOP).hits()).isZero();
    }

    @Test
    void scopesListsTheNamespacesScopesInOrderAndClearForgetsOne() {
        Cache cache = open();
        Scope pay = Scope.function("guest", "shop", "pay");
        Scope blog = Scope.function("guest", "blog", "post");
        cache.set(pay, "k", bytes("v"), Optional.empty());
        cache.set(CART, "k", bytes("v"), Optional.empty());
        cache.set(SHOP, "k", bytes("v"), Optional.empty());
        cache.get(blog, "never");
        cache.set(Scope.function("other", "shop", "cart"), "k", bytes("v"), Optional.empty());
        assertThat(cache.scopes("guest")).containsExactly(blog, SHOP, CART, pay);
        assertThat(cache.scopes("nobody")).isEmpty();
        cache.clear(CART);
        assertThat(cache.scopes("guest")).containsExactly(blog, SHOP, pay);
        assertThat(cache.stats(CART)).isEqualTo(CacheStats.empty());
        assertThat(text(cache.get(SHOP, "k"))).isEqualTo("v");
        assertThat(cache.scopes("other")).containsExactly(Scope.function("other", "shop", "cart"));
    }

    @Test
    void describeNamesTheBackendAndTheQuota() {
        assertThat(open().describe()).contains("64 MB and 10000 entries per scope");
    }
}
