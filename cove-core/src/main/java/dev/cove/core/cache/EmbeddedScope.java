package dev.cove.core.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cove.core.spi.CacheRules;
import dev.cove.core.spi.CacheStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** One scope's entries in their own Caffeine cache, and its counters. */
final class EmbeddedScope {
    /** An entry's TTL that means "keep the expiry the entry had" (an increment of an existing entry). */
    static final long KEEP_EXPIRY = -1;

    /** A value, its size as the quota counts it (key and value bytes), and the TTL it was written with. */
    record Entry(byte[] value, long bytes, long ttlNanos) {}

    private final com.github.benmanes.caffeine.cache.Cache<String, Entry> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final Consumer<String> changed;
    /** Set while the scope is cleared: its whole is told of once, not each key. */
    private volatile boolean clearing;

    /** {@code changed} hears of each key whose entry changes other than by expiring, on the writer's thread. */
    EmbeddedScope(Quota quota, Ticker ticker, Consumer<String> changed) {
        this.changed = changed;
        this.entries = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .maximumWeight(quota.capacity())
                .<String, Entry>weigher((key, entry) -> quota.weight(entry.bytes()))
                .expireAfter(new EntryExpiry())
                .removalListener(this::removed)
                .build();
    }

    Optional<byte[]> get(String key) {
        Entry entry = entries.getIfPresent(key);
        (entry == null ? misses : hits).increment();
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    void set(String key, Entry entry) {
        entries.put(key, entry);
    }

    boolean setIfAbsent(String key, Entry entry) {
        return entries.asMap().putIfAbsent(key, entry) == null;
    }

    boolean delete(String key) {
        return entries.asMap().remove(key) != null;
    }

    long increment(String key, long keyBytes, long delta, long ttlNanos) {
        Entry sum = entries.asMap().compute(key, (k, old) -> {
            long current = old == null ? 0 : CacheRules.counter(old.value());
            long next;
            try {
                next = Math.addExact(current, delta);
            } catch (ArithmeticException e) {
                throw CacheRules.overflow(Long.toString(current), delta);
            }
            byte[] text = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
            return new Entry(text, keyBytes + text.length, old == null ? ttlNanos : KEEP_EXPIRY);
        });
        return Long.parseLong(new String(sum.value(), StandardCharsets.US_ASCII));
    }

    /**
     * Counts by walking the entries, which skips expired ones: Caffeine removes an expired entry only
     * when its timer wheel's bucket (about a second wide) comes due, so counters kept on removal would
     * lag.
     */
    CacheStats stats() {
        long count = 0;
        long total = 0;
        for (Entry entry : entries.asMap().values()) {
            count++;
            total += entry.bytes();
        }
        return new CacheStats(hits.sum(), misses.sum(), evictions.sum(), count, total);
    }

    void countHits(long n) {
        hits.add(n);
    }

    Optional<Duration> timeToLive(String key) {
        return entries.policy().expireVariably().orElseThrow().getExpiresAfter(key);
    }

    void clear() {
        clearing = true;
        entries.invalidateAll();
    }

    /** Runs on the writer's thread ({@code executor(Runnable::run)}), after the write. */
    private void removed(String key, Entry entry, RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            evictions.increment();
        }
        if (cause != RemovalCause.EXPIRED && !clearing) {
            changed.accept(key);
        }
    }

    /** Each entry lives for the TTL it was written with; an increment keeps the expiry it found. */
    private static final class EntryExpiry implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long now) {
            return entry.ttlNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
            return entry.ttlNanos() == KEEP_EXPIRY ? remaining : entry.ttlNanos();
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long now, long remaining) {
            return remaining;
        }
    }
}
