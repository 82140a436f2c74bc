package dev.cove.core.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The function cache's backend: entries of opaque bytes under string keys, each entry in one
 * {@link Scope}, each scope under the quotas of {@link CacheSettings}.
 *
 * <p>The rules every implementation keeps (and {@code CacheContract} tests):
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
 * <p>Implementations are thread-safe. Calls may block briefly (a Redis round trip): run them off event
 * loops. Values are copied in and out; the caller keeps its arrays.
 */
public interface Cache extends AutoCloseable {

    /** The entry's value, or empty when there is none (never written, deleted, expired, evicted). */
    default Optional<byte[]> get(Scope scope, String key) {
        return getEntry(scope, key).map(Entry::value);
    }

    /**
     * The entry's value and how long it has left to live, read at once (a get, counted as one): for a
     * copy that must not outlive its entry.
     */
    Optional<Entry> getEntry(Scope scope, String key);

    /** Writes the entry, replacing any; {@code ttl} empty means the default TTL. */
    void set(Scope scope, String key, byte[] value, Optional<Duration> ttl);

    /**
     * Writes the entry only if the scope holds none under this key, atomically: for get-or-compute
     * where two callers must agree on one value. Answers whether it wrote.
     */
    boolean setIfAbsent(Scope scope, String key, byte[] value, Optional<Duration> ttl);

    /** Removes the entry; answers whether there was one. */
    boolean delete(Scope scope, String key);

    /**
     * Adds {@code delta} to the integer the entry holds and answers the sum, atomically. A missing
     * entry counts from 0 and is created with {@code ttl} (or the default); an existing entry keeps its
     * expiry, so a counter with a TTL counts within one window. The entry holds the sum's decimal text
     * (ASCII, no type tag). Refused when the entry's value is not an integer's decimal text ("-" and
     * digits, no leading zero) or the sum would leave the range of a {@code long}.
     */
    long increment(Scope scope, String key, long delta, Optional<Duration> ttl);

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
    void countHits(Scope scope, long hits);

    /** The scope's counters; a scope never used has {@link CacheStats#empty()}. */
    CacheStats stats(Scope scope);

    /** The namespace's scopes that hold entries or counters, ordered by application then function (the shared scope first). */
    List<Scope> scopes(String namespace);

    /**
     * Removes the scope's entries and its counters; no other scope's, so clearing a function leaves its
     * application's shared entries, and clearing the application's shared scope leaves its functions'.
     */
    void clear(Scope scope);

    /** One line for the operator: the backend, where it is, the quotas. Never a password. */
    String describe();

    /** Releases the backend's resources (Redis connections); the cache is not used afterwards. */
    @Override
    void close();

    /** An entry's value and the time it has left to live. */
    record Entry(byte[] value, Duration timeToLive) {}

    /** The in-process backend (Caffeine): nothing to install; entries live as long as this JVM. */
    static Cache embedded(CacheSettings settings, Ticker ticker) {
        return new EmbeddedCache(settings, ticker);
    }

    /** A Redis backend; the connection pool opens lazily, so a Redis that is down fails the first call, not this one. */
    static Cache redis(RedisSettings redis, CacheSettings settings) {
        return new RedisCache(redis, settings);
    }
}
