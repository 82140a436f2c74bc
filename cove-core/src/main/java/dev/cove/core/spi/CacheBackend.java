package dev.cove.core.spi;

import dev.cove.core.model.CacheSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The function cache's backend: entries of opaque bytes under string keys, each entry in one
 * {@link CacheScope}, each scope under the quotas of {@link CacheSettings}. The core's own is in
 * process (Caffeine, {@code CacheGateway.embeddedBackend}); an adapter may keep the entries elsewhere
 * (the cove-cache-redis module). Every implementation passes {@code CacheBackendContract}.
 *
 * <p>The rules every implementation keeps ({@link CacheRules} checks them, with the same words for
 * every backend):
 * <ul>
 *   <li><b>Isolation.</b> An entry is reached only through its scope and key. No key and no names,
 *       whatever characters they hold, reach another scope's entries.
 *   <li><b>Keys</b> are any string of valid Unicode up to {@code maxKeyBytes} in UTF-8, the empty
 *       string, separators, {@code ..}, {@code *} and NUL included. A longer key, or one with a lone
 *       surrogate (which has no UTF-8 form of its own), is refused.
 *   <li><b>Every entry expires</b>: after the TTL its writer gave, else {@code defaultTtl}. A TTL
 *       under 1 ms or over {@code maxTtl} is refused, not adjusted, so a function never believes an
 *       entry lives longer than it will.
 *   <li><b>Quotas.</b> A scope holds at most {@code entriesPerScope} entries and
 *       {@code bytesPerScope} bytes (keys and values); a write beyond either evicts other entries of
 *       the same scope, never another scope's. A value over {@code maxValueBytes} is refused.
 *   <li><b>Refusals</b> throw {@link CacheRefusedException} (the function's fault) and change
 *       nothing; a backend failure throws {@link CacheUnavailableException} (the platform's).
 * </ul>
 *
 * <p>Implementations are thread-safe. Calls may block briefly (a network round trip) where
 * {@link #blocking} says so: the gateway then runs them off event loops. Values are copied in and
 * out; the caller keeps its arrays.
 */
public interface CacheBackend extends AutoCloseable {

    /** The entry's value, or empty when there is none (never written, deleted, expired, evicted). */
    default Optional<byte[]> get(CacheScope scope, String key) {
        return getEntry(scope, key).map(Entry::value);
    }

    /**
     * The entry's value and how long it has left to live, read at once (a get, counted as one): for a
     * copy that must not outlive its entry.
     */
    Optional<Entry> getEntry(CacheScope scope, String key);

    /** Writes the entry, replacing any, to live for {@code ttl}. */
    void set(CacheScope scope, String key, byte[] value, Duration ttl);

    /** Writes the entry, replacing any, to live for the default TTL. */
    default void set(CacheScope scope, String key, byte[] value) {
        set(scope, key, value, settings().defaultTtl());
    }

    /**
     * Writes the entry only if the scope holds none under this key, atomically: for get-or-compute
     * where two callers must agree on one value. Answers whether it wrote.
     */
    boolean setIfAbsent(CacheScope scope, String key, byte[] value, Duration ttl);

    /** As {@link #setIfAbsent(CacheScope, String, byte[], Duration)}, with the default TTL. */
    default boolean setIfAbsent(CacheScope scope, String key, byte[] value) {
        return setIfAbsent(scope, key, value, settings().defaultTtl());
    }

    /** Removes the entry; answers whether there was one. */
    boolean delete(CacheScope scope, String key);

    /**
     * Adds {@code delta} to the integer the entry holds and answers the sum, atomically. A missing
     * entry counts from 0 and is created with {@code ttl}; an existing entry keeps its expiry, so a
     * counter with a TTL counts within one window. The entry holds the sum's decimal text (ASCII, no
     * type tag). Refused when the entry's value is not an integer's decimal text ("-" and digits, no
     * leading zero) or the sum would leave the range of a {@code long}.
     */
    long increment(CacheScope scope, String key, long delta, Duration ttl);

    /** As {@link #increment(CacheScope, String, long, Duration)}, a missing entry created with the default TTL. */
    default long increment(CacheScope scope, String key, long delta) {
        return increment(scope, key, delta, settings().defaultTtl());
    }

    /**
     * Tells {@code changes} of every change to an entry from now on, for as long as {@link #watching}
     * says it hears of them all.
     */
    void watch(CacheWatcher changes);

    /**
     * Whether every change is told just now, so that copies of what is read may be kept. A backend that
     * others write behind its back (a shared Redis) hears of their writes only while it listens to its
     * server; when it stops, this turns false first, then {@link CacheWatcher#allChanged} is told, as
     * changes may have gone untold.
     */
    boolean watching();

    /** Counts gets that copies answered (see {@link #watch}) among the scope's hits. */
    void countHits(CacheScope scope, long hits);

    /** The scope's counters; a scope never used has {@link CacheStats#empty()}. */
    CacheStats stats(CacheScope scope);

    /** The namespace's scopes that hold entries or counters, in {@link CacheScope#ORDER}. */
    List<CacheScope> scopes(String namespace);

    /**
     * Removes the scope's entries and its counters; no other scope's, so clearing a function leaves its
     * application's shared entries, and clearing the application's shared scope leaves its functions'.
     */
    void clear(CacheScope scope);

    /** The TTLs, limits and quotas this backend keeps. */
    CacheSettings settings();

    /** Whether calls may wait on the network, so that they must not run on an event loop. */
    boolean blocking();

    /** One line for the operator: the backend, where it is, the quotas. Never a password. */
    String describe();

    /** Releases the backend's resources (connections, threads); the backend is not used afterwards. */
    @Override
    void close();

    /** An entry's value and the time it has left to live. */
    record Entry(byte[] value, Duration timeToLive) {}
}
