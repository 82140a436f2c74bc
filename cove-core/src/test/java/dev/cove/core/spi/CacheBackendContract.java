package dev.cove.core.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cove.core.model.CacheSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CacheBackend} must do: the embedded backend's test (cove-core) and every adapter's
 * (cove-cache-redis) extend this, each with a backend of its own.
 */
public abstract class CacheBackendContract {
    protected static final CacheScope CART = CacheScope.function("guest", "shop", "cart");
    protected static final CacheScope SHOP = CacheScope.application("guest", "shop");
    protected static final Duration MINUTE = Duration.ofMinutes(1);

    private final List<CacheBackend> opened = new ArrayList<>();

    /** A backend with no entries. */
    protected abstract CacheBackend create(CacheSettings settings);

    /** Lets time pass: a fake ticker's, or the real one's. */
    protected abstract void elapse(Duration duration);

    /** A backend with no entries, closed after the test. */
    protected CacheBackend open(CacheSettings settings) {
        CacheBackend cache = create(settings);
        opened.add(cache);
        return cache;
    }

    protected CacheBackend open() {
        return open(CacheSettings.defaults());
    }

    @AfterEach
    void closeCaches() {
        opened.forEach(CacheBackend::close);
    }

    protected static CacheSettings quota(long entries, long bytes) {
        return new CacheSettings(Duration.ofHours(1), Duration.ofHours(24), 1000, 100, entries, bytes);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(Optional<byte[]> value) {
        return value.map(v -> new String(v, UTF_8)).orElse("(none)");
    }

    /** Polls: a real backend's expiry lands within milliseconds of the TTL, not on it. */
    static void awaitGone(CacheBackend cache, CacheScope scope, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (cache.get(scope, key).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(cache.get(scope, key)).as("entry %s after its TTL", key).isEmpty();
    }

    /**
     * What a watcher is told, as "function key" lines: "app" for the shared scope, "*" for a whole
     * scope, "all" for every scope.
     */
    public static final class Told implements CacheWatcher {
        public final List<String> lines = new CopyOnWriteArrayList<>();
        /** Whether the backend said it was watching, each time all changed. */
        public final List<Boolean> watchingWhenAllChanged = new CopyOnWriteArrayList<>();
        private final CacheBackend cache;

        /** Watches the backend from now on. */
        public Told(CacheBackend cache) {
            this.cache = cache;
            cache.watch(this);
        }

        @Override
        public void changed(CacheScope scope, String key) {
            lines.add(name(scope) + " " + key);
        }

        @Override
        public void cleared(CacheScope scope) {
            lines.add(name(scope) + " *");
        }

        @Override
        public void allChanged() {
            watchingWhenAllChanged.add(cache.watching());
            lines.add("all");
        }

        /** The function's name, or "app" for the application's shared scope. */
        public static String name(CacheScope scope) {
            return scope.function().orElse("app");
        }
    }

    // --- values ---

    @Test
    void everyByteRoundTrips() {
        CacheBackend cache = open();
        byte[] all = new byte[256];
        IntStream.range(0, 256).forEach(i -> all[i] = (byte) i);
        cache.set(CART, "all", all);
        cache.set(CART, "none", new byte[0]);
        assertThat(cache.get(CART, "all")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
        assertThat(cache.get(CART, "none")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(cache.get(CART, "never")).isEmpty();
    }

    @Test
    void aSetReplacesAndTheCallersArraysStayItsOwn() {
        CacheBackend cache = open();
        byte[] value = bytes("one");
        cache.set(CART, "k", value);
        value[0] = 'X';
        cache.get(CART, "k").orElseThrow()[0] = 'Y';
        assertThat(text(cache.get(CART, "k"))).isEqualTo("one");
        cache.set(CART, "k", bytes("two"));
        assertThat(text(cache.get(CART, "k"))).isEqualTo("two");
    }

    @Test
    void aValueOverTheLimitIsRefusedAndOneAtItIsKept() {
        CacheBackend cache = open();
        assertThatThrownBy(() -> cache.set(CART, "big", new byte[2 * 1024 * 1024]))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The value is 2097152 bytes, over the cache's limit of 1048576 bytes.");
        assertThatThrownBy(() -> cache.setIfAbsent(CART, "big", new byte[1024 * 1024 + 1]))
                .hasMessage("The value is 1048577 bytes, over the cache's limit of 1048576 bytes.");
        assertThat(cache.get(CART, "big")).isEmpty();
        cache.set(CART, "big", new byte[1024 * 1024]);
        assertThat(cache.get(CART, "big")).hasValueSatisfying(v -> assertThat(v).hasSize(1024 * 1024));
    }

    @Test
    void keysUpToTheLimitInUtf8AreKeptLongerOnesAndLoneSurrogatesRefused() {
        CacheBackend cache = open();
        cache.set(CART, "x".repeat(1024), bytes("ascii"));
        cache.set(CART, "é".repeat(512), bytes("two-byte"));
        assertThat(text(cache.get(CART, "x".repeat(1024)))).isEqualTo("ascii");
        assertThat(text(cache.get(CART, "é".repeat(512)))).isEqualTo("two-byte");
        assertThatThrownBy(() -> cache.set(CART, "x".repeat(1025), bytes("v")))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The key is 1025 bytes in UTF-8, over the cache's limit of 1024 bytes.");
        assertThatThrownBy(() -> cache.get(CART, "é".repeat(513)))
                .hasMessage("The key is 1026 bytes in UTF-8, over the cache's limit of 1024 bytes.");
        assertThatThrownBy(() -> cache.set(CART, "ab\uD800", bytes("v")))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The key is not valid Unicode: it has a lone surrogate at index 2.");
        assertThat(cache.get(CART, "ab?")).isEmpty();
    }

    // --- expiry ---

    @Test
    void anEntryLivesForTheDefaultTtlOrTheOneGiven() {
        CacheBackend cache = open();
        cache.set(CART, "default", bytes("v"));
        cache.set(CART, "ten", bytes("v"), Duration.ofMinutes(10));
        cache.set(CART, "max", bytes("v"), Duration.ofHours(24));
        assertThat(cache.getEntry(CART, "default").map(CacheBackend.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1)));
        assertThat(cache.getEntry(CART, "ten").map(CacheBackend.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
        assertThat(cache.getEntry(CART, "max").map(CacheBackend.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofHours(23), Duration.ofHours(24)));
    }

    @Test
    void aTtlOverTheMaximumOrUnderAMillisecondIsRefused() {
        CacheBackend cache = open();
        assertThatThrownBy(() -> cache.set(CART, "k", bytes("v"), Duration.ofHours(48)))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The TTL is 48 h, over the cache's maximum of 24 h.");
        assertThatThrownBy(() -> cache.set(CART, "k", bytes("v"), Duration.ofMillis(86_400_001)))
                .hasMessage("The TTL is 86400001 ms, over the cache's maximum of 24 h.");
        assertThatThrownBy(() -> cache.increment(CART, "k", 1, Duration.ZERO))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("The TTL is 0 ms; it must be at least 1 ms.");
        assertThatThrownBy(() -> cache.setIfAbsent(CART, "k", bytes("v"), Duration.ofSeconds(-5)))
                .hasMessage("The TTL is -5000 ms; it must be at least 1 ms.");
        assertThat(cache.get(CART, "k")).isEmpty();
    }

    @Test
    void anEntryExpiresAfterItsTtlAndOthersStay() throws InterruptedException {
        CacheBackend cache = open();
        cache.set(CART, "short", bytes("v"), Duration.ofMillis(50));
        cache.increment(CART, "counter", 1, Duration.ofMillis(50));
        cache.set(CART, "long", bytes("v"), MINUTE);
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
        CacheBackend cache = open();
        cache.set(CART, "k", bytes("v"));
        assertThat(cache.delete(CART, "k")).isTrue();
        assertThat(cache.delete(CART, "k")).isFalse();
        assertThat(cache.delete(CART, "never")).isFalse();
        assertThat(cache.get(CART, "k")).isEmpty();
        assertThat(cache.stats(CART).entries()).isZero();
        assertThat(cache.stats(CART).bytes()).isZero();
    }

    @Test
    void setIfAbsentWritesOnlyWhereThereIsNoEntry() {
        CacheBackend cache = open();
        assertThat(cache.setIfAbsent(CART, "k", bytes("first"))).isTrue();
        assertThat(cache.setIfAbsent(CART, "k", bytes("second"))).isFalse();
        assertThat(text(cache.get(CART, "k"))).isEqualTo("first");
        assertThat(cache.stats(CART).bytes()).isEqualTo(6);
        cache.delete(CART, "k");
        assertThat(cache.setIfAbsent(CART, "k", bytes("third"))).isTrue();
        assertThat(text(cache.get(CART, "k"))).isEqualTo("third");
    }

    // --- increment ---

    @Test
    void incrementCountsFromZeroAndFromWhatIsThere() {
        CacheBackend cache = open();
        assertThat(cache.increment(CART, "n", 5)).isEqualTo(5);
        assertThat(cache.increment(CART, "n", -7)).isEqualTo(-2);
        assertThat(text(cache.get(CART, "n"))).isEqualTo("-2");
        cache.set(CART, "m", bytes("41"));
        assertThat(cache.increment(CART, "m", 1)).isEqualTo(42);
        assertThat(cache.stats(CART).bytes()).isEqualTo(("n-2" + "m42").length());
    }

    @Test
    void aNewCounterTakesTheTtlAndAnExistingOneKeepsItsExpiry() {
        CacheBackend cache = open();
        cache.increment(CART, "n", 1, Duration.ofMinutes(10));
        cache.increment(CART, "n", 1, Duration.ofHours(2));
        cache.increment(CART, "n", 1);
        assertThat(cache.getEntry(CART, "n").map(CacheBackend.Entry::timeToLive)).hasValueSatisfying(
                ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
    }

    @Test
    void incrementRefusesWhatIsNotAnIntegersDecimalTextAndLeavesIt() {
        CacheBackend cache = open();
        for (String value : List.of("abc", "", "1.5", " 5", "5 ", "+5", "007", "-0", "99999999999999999999", "0x10")) {
            cache.set(CART, "k", bytes(value));
            assertThatThrownBy(() -> cache.increment(CART, "k", 1))
                    .as("increment of '%s'", value)
                    .isInstanceOf(CacheRefusedException.class)
                    .hasMessage("The entry holds a value that is not an integer's decimal text, so it cannot be incremented.");
            assertThat(text(cache.get(CART, "k"))).isEqualTo(value);
        }
        cache.set(CART, "k", bytes("0"));
        assertThat(cache.increment(CART, "k", -1)).isEqualTo(-1);
    }

    @Test
    void incrementRefusesToOverflowAndLeavesTheValue() {
        CacheBackend cache = open();
        cache.set(CART, "max", bytes(Long.toString(Long.MAX_VALUE)));
        assertThatThrownBy(() -> cache.increment(CART, "max", 1))
                .isInstanceOf(CacheRefusedException.class)
                .hasMessage("Incrementing 9223372036854775807 by 1 would leave the range of a 64-bit integer.");
        assertThat(cache.increment(CART, "min", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> cache.increment(CART, "min", -1))
                .hasMessage("Incrementing -9223372036854775808 by -1 would leave the range of a 64-bit integer.");
        assertThat(text(cache.get(CART, "max"))).isEqualTo("9223372036854775807");
        assertThat(cache.increment(CART, "max", -1)).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void concurrentIncrementsAllCount() throws Exception {
        CacheBackend cache = open();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> IntStream.range(0, 250)
                        .forEach(i -> cache.increment(CART, "n", 1))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(text(cache.get(CART, "n"))).isEqualTo("1000");
    }

    // --- isolation ---

    /** Names that a naive "ns:app:fn:key" layout, or a careless length prefix, would let collide. */
    public static final List<CacheScope> TRICKY_SCOPES = List.of(
            CacheScope.function("ns", "app", "fn"),
            CacheScope.application("ns", "app"),
            CacheScope.function("ns", "app", "fn:k"),
            CacheScope.function("ns", "app:fn", "k"),
            CacheScope.function("ns:app", "fn", "k"),
            CacheScope.application("ns", "app:fn"),
            CacheScope.application("ns", "appa"),
            CacheScope.function("ns", "app", "a"),
            CacheScope.function("2:ns", "app", "fn"),
            CacheScope.function("ns", "3:app", "fn"),
            CacheScope.function("ns3:app", "f2", "fn"),
            CacheScope.function("ns", "app}", "{fn"),
            CacheScope.function("ns", "..", "*"),
            CacheScope.function("ns/..", "app", "fn"),
            CacheScope.function("n\u0000s", "app", "fn"),
            CacheScope.function("ns", "app", "fné"),
            CacheScope.function("other", "app", "fn"),
            CacheScope.function("ns", "other", "fn"));

    public static final List<String> TRICKY_KEYS = List.of("", ":", "::", "..", "../fn", "*", "k", "fn:k", "k}x", "{k}",
            "2:fn", "f2:fnk", "a", "a\u0000b", "é", "x".repeat(1024));

    @Test
    void noScopeOrKeyReachesAnotherScopesEntries() {
        CacheBackend cache = open();
        for (int s = 0; s < TRICKY_SCOPES.size(); s++) {
            for (int k = 0; k < TRICKY_KEYS.size(); k++) {
                cache.set(TRICKY_SCOPES.get(s), TRICKY_KEYS.get(k), bytes(s + "/" + k));
            }
        }
        assertEveryEntryIsItsOwn(cache, 0);
        for (CacheScope scope : TRICKY_SCOPES) {
            assertThat(cache.stats(scope).entries()).as("entries of %s", scope).isEqualTo(TRICKY_KEYS.size());
        }
    }

    @Test
    void clearingAScopeLeavesEveryOtherScopesEntries() {
        CacheBackend cache = open();
        TRICKY_SCOPES.forEach(scope -> TRICKY_KEYS.forEach(
                key -> cache.set(scope, key, bytes(TRICKY_SCOPES.indexOf(scope) + "/" + TRICKY_KEYS.indexOf(key)))));
        cache.clear(TRICKY_SCOPES.get(0));
        TRICKY_KEYS.forEach(key -> assertThat(cache.get(TRICKY_SCOPES.get(0), key)).isEmpty());
        assertEveryEntryIsItsOwn(cache, 1);
        assertThat(cache.stats(TRICKY_SCOPES.get(0)).entries()).isZero();
    }

    private static void assertEveryEntryIsItsOwn(CacheBackend cache, int fromScope) {
        for (int s = fromScope; s < TRICKY_SCOPES.size(); s++) {
            for (int k = 0; k < TRICKY_KEYS.size(); k++) {
                assertThat(text(cache.get(TRICKY_SCOPES.get(s), TRICKY_KEYS.get(k))))
                        .as("%s key #%d", TRICKY_SCOPES.get(s), k).isEqualTo(s + "/" + k);
            }
        }
    }

    @Test
    void aFunctionAndItsApplicationHoldDifferentEntriesUnderOneKey() {
        CacheBackend cache = open();
        cache.set(CART, "k", bytes("mine"));
        cache.set(SHOP, "k", bytes("shared"));
        cache.set(CacheScope.function("guest", "shop", "pay"), "k", bytes("pay's"));
        cache.delete(CART, "k");
        assertThat(text(cache.get(SHOP, "k"))).isEqualTo("shared");
        assertThat(text(cache.get(CART.applicationScope(), "k"))).isEqualTo("shared");
        assertThat(text(cache.get(CacheScope.function("guest", "shop", "pay"), "k"))).isEqualTo("pay's");
    }

    // --- quotas ---

    @Test
    void writingPastTheEntryQuotaEvictsAndKeepsTheScopeAtIt() {
        CacheBackend cache = open(quota(10, 1_000_000));
        for (int i = 0; i < 50; i++) {
            cache.set(CART, "k" + i, bytes("v"));
        }
        CacheStats stats = cache.stats(CART);
        assertThat(stats.entries()).isBetween(1L, 10L);
        assertThat(stats.entries() + stats.evictions()).isEqualTo(50);
        assertThat(stats.bytes()).isEqualTo(stats.entries() * 3 + countLongKeys(cache, 10, 50));
    }

    /** Keys "k10".."k49" are a byte longer than "k0".."k9": what the surviving ones add to the bytes. */
    private static long countLongKeys(CacheBackend cache, int from, int to) {
        return IntStream.range(from, to).filter(i -> cache.get(CART, "k" + i).isPresent()).count();
    }

    @Test
    void writingPastTheByteQuotaEvictsAndKeepsTheScopeUnderIt() {
        CacheBackend cache = open(quota(1000, 10_000));
        for (int i = 0; i < 50; i++) {
            cache.set(CART, String.format("k%02d", i), new byte[1000]);
        }
        CacheStats stats = cache.stats(CART);
        assertThat(stats.bytes()).isLessThanOrEqualTo(10_000).isEqualTo(stats.entries() * 1003);
        assertThat(stats.entries()).isBetween(1L, 9L);
        assertThat(stats.entries() + stats.evictions()).isEqualTo(50);
    }

    @Test
    void oneScopesWritesNeverEvictAnothersEntries() {
        CacheBackend cache = open(quota(10, 1_000_000));
        for (int i = 0; i < 5; i++) {
            cache.set(SHOP, "k" + i, bytes("v"));
        }
        for (int i = 0; i < 100; i++) {
            cache.set(CART, "k" + i, bytes("v"));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(SHOP, "k" + i)).as("shared k%d", i).isPresent();
        }
        assertThat(cache.stats(SHOP).evictions()).isZero();
    }

    // --- watching ---

    /**
     * Changes made through the backend are told before their writer is answered, so that a function
     * that writes and then calls another sees the other read what it wrote. A backend others write
     * behind its back may tell more, and later, so this asks only for what must be there.
     */
    @Test
    void everyChangeMadeThroughTheBackendIsToldBeforeItsWriterIsAnswered() {
        CacheBackend cache = open();
        Told told = new Told(cache);
        cache.set(CART, "k", bytes("1"));
        cache.set(CART, "k", bytes("2"));
        assertThat(told.lines).as("a replacement").contains("cart k");
        cache.increment(SHOP, "n", 1);
        cache.increment(SHOP, "n", 1);
        assertThat(told.lines).as("an increment").contains("app n");
        told.lines.clear();
        cache.delete(CART, "k");
        assertThat(told.lines).as("a delete").contains("cart k");
        cache.clear(SHOP);
        assertThat(told.lines).as("a cleared scope").contains("app *");
    }

    // --- stats, scopes, clear ---

    @Test
    void statsCountHitsMissesEntriesAndKeyAndValueBytes() {
        CacheBackend cache = open();
        assertThat(cache.stats(CART)).isEqualTo(CacheStats.empty());
        cache.set(CART, "a", bytes("xyz"));
        cache.set(CART, "bb", bytes("1"));
        cache.get(CART, "a");
        cache.get(CART, "zz");
        cache.get(CART, "bb");
        assertThat(cache.stats(CART)).isEqualTo(new CacheStats(2, 1, 0, 2, 7));
        cache.set(CART, "bb", bytes("12345"));
        cache.delete(CART, "a");
        assertThat(cache.stats(CART)).isEqualTo(new CacheStats(2, 1, 0, 1, 7));
        assertThat(cache.stats(SHOP)).isEqualTo(CacheStats.empty());
    }

    @Test
    void hitsThatCopiesAnsweredCountAmongTheScopesHits() {
        CacheBackend cache = open();
        cache.set(CART, "a", bytes("xyz"));
        cache.get(CART, "a");
        cache.countHits(CART, 5);
        assertThat(cache.stats(CART).hits()).isEqualTo(6);
        assertThat(cache.stats(SHOP).hits()).isZero();
    }

    @Test
    void scopesListsTheNamespacesScopesInOrderAndClearForgetsOne() {
        CacheBackend cache = open();
        CacheScope pay = CacheScope.function("guest", "shop", "pay");
        CacheScope blog = CacheScope.function("guest", "blog", "post");
        cache.set(pay, "k", bytes("v"));
        cache.set(CART, "k", bytes("v"));
        cache.set(SHOP, "k", bytes("v"));
        cache.get(blog, "never");
        cache.set(CacheScope.function("other", "shop", "cart"), "k", bytes("v"));
        assertThat(cache.scopes("guest")).containsExactly(blog, SHOP, CART, pay);
        assertThat(cache.scopes("nobody")).isEmpty();
        cache.clear(CART);
        assertThat(cache.scopes("guest")).containsExactly(blog, SHOP, pay);
        assertThat(cache.stats(CART)).isEqualTo(CacheStats.empty());
        assertThat(text(cache.get(SHOP, "k"))).isEqualTo("v");
        assertThat(cache.scopes("other")).containsExactly(CacheScope.function("other", "shop", "cart"));
    }

    @Test
    void describeNamesTheBackendAndTheQuota() {
        assertThat(open().describe()).contains("64 MB and 10000 entries per scope");
    }
}
