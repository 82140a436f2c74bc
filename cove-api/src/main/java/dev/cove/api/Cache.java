package dev.cove.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A function's cache ({@link Context#cache()}): its own entries, or with {@link #app()} its
 * application's. Values are JSON values as Java sees them ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}) or {@code byte[]}. Every entry expires: after the platform's default
 * time to live unless one is given. Keys never reach another function's, application's or namespace's
 * entries, whatever characters they hold.
 *
 * @throws CacheException from every method when the platform refuses the operation (a value over the
 *     size limit, a key too long, a value to increment that is not a whole number)
 */
public interface Cache {

    /** The entry's value; empty when there is none (or it holds JSON null). */
    Optional<Object> get(String key);

    void set(String key, Object value);

    void set(String key, Object value, Duration ttl);

    /** Answers whether there was an entry to delete. */
    boolean delete(String key);

    /** Adds {@code by} to a whole number (a missing entry counts as 0) and answers the new value. */
    long increment(String key, long by);

    /**
     * The entry's value, or else {@code compute}'s, which is then stored with the given time to live
     * unless another caller stored one first (then that one is answered, so all callers agree).
     */
    default Object getOrCompute(String key, Supplier<Object> compute, Duration ttl) {
        Optional<Object> found = get(key);
        if (found.isPresent()) {
            return found.get();
        }
        Object value = compute.get();
        return setIfAbsent(key, value, ttl) ? value : get(key).orElse(value);
    }

    /** Stores the value only if there is no entry under the key; answers whether it did. */
    boolean setIfAbsent(String key, Object value, Duration ttl);

    /** The entries shared by the functions of this function's application. */
    Cache app();
}
