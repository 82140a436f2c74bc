package dev.cove.core.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.CacheRules;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.CacheStats;
import dev.cove.core.spi.CacheWatcher;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process backend.
 *
 * <p><b>Design.</b> One Caffeine cache per {@link CacheScope}, held in a concurrent map: quotas are per
 * scope, and a cache per scope lets Caffeine's own W-TinyLFU eviction keep each scope under its quota
 * without one scope's traffic deciding what another keeps. Caffeine bounds one weight, so
 * {@link Quota} folds the entry and byte quotas into it (both exact upper bounds; see there). Each
 * entry carries its TTL for a variable {@code Expiry}; time comes from the injected {@link Ticker}.
 * Maintenance (eviction, expiry, the removal listener) runs on the calling thread
 * ({@code executor(Runnable::run)}), so a write returns with its scope under quota and counters
 * exact, and no background thread exists. Hits and misses are counted on reads, evictions (size
 * only: expiry is not eviction) by the removal listener; entries and bytes by walking the scope when
 * asked (see {@link EmbeddedScope#stats()}).
 *
 * <p><b>Cost.</b> A get is a map lookup of the scope, a key check (a pass over its chars) and
 * Caffeine's read, plus a copy of the value; no thread is crossed, so the gateway calls it on the
 * caller's thread ({@link #blocking} is false). Stats walk the scope.
 *
 * <p><b>Memory.</b> Entries live on the heap: up to {@code bytesPerScope} per scope in use, plus
 * Caffeine's per-entry overhead (~100 bytes). The operator sizes the heap for the scopes expected.
 */
final class EmbeddedCache implements CacheBackend {
    private final CacheRules rules;
    private final Quota quota;
    private final Ticker ticker;
    private final ConcurrentHashMap<CacheScope, EmbeddedScope> scopes = new ConcurrentHashMap<>();
    private volatile CacheWatcher changes = CacheWatcher.NOBODY;

    EmbeddedCache(CacheSettings settings, Ticker ticker) {
        this.rules = new CacheRules(settings);
        this.quota = Quota.of(settings);
        this.ticker = ticker;
    }

    @Override
    public Optional<Entry> getEntry(CacheScope scope, String key) {
        rules.checkKey(key);
        EmbeddedScope found = scope(scope);
        return found.get(key).flatMap(value -> found.timeToLive(key).map(left -> new Entry(value.clone(), left)));
    }

    @Override
    public void set(CacheScope scope, String key, byte[] value, Duration ttl) {
        EmbeddedScope.Entry entry = entry(key, value, ttl);
        scope(scope).set(key, entry);
    }

    @Override
    public boolean setIfAbsent(CacheScope scope, String key, byte[] value, Duration ttl) {
        EmbeddedScope.Entry entry = entry(key, value, ttl);
        return scope(scope).setIfAbsent(key, entry);
    }

    @Override
    public boolean delete(CacheScope scope, String key) {
        rules.checkKey(key);
        EmbeddedScope found = scopes.get(scope);
        return found != null && found.delete(key);
    }

    @Override
    public long increment(CacheScope scope, String key, long delta, Duration ttl) {
        long keyBytes = rules.checkKey(key);
        long ttlNanos = Duration.ofMillis(rules.ttlMillis(ttl)).toNanos();
        return scope(scope).increment(key, keyBytes, delta, ttlNanos);
    }

    @Override
    public CacheStats stats(CacheScope scope) {
        EmbeddedScope found = scopes.get(scope);
        return found == null ? CacheStats.empty() : found.stats();
    }

    @Override
    public List<CacheScope> scopes(String namespace) {
        return scopes.keySet().stream().filter(scope -> scope.namespace().equals(namespace)).sorted(CacheScope.ORDER).toList();
    }

    @Override
    public void clear(CacheScope scope) {
        EmbeddedScope removed = scopes.remove(scope);
        if (removed != null) {
            removed.clear();
            changes.cleared(scope);
        }
    }

    @Override
    public CacheSettings settings() {
        return rules.settings();
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public String describe() {
        return "embedded (Caffeine), " + rules.settings().quota();
    }

    @Override
    public void close() {
        scopes.values().forEach(EmbeddedScope::clear);
        scopes.clear();
    }

    /** Every write goes through this object, so it tells of every change, always. */
    @Override
    public void watch(CacheWatcher changes) {
        this.changes = changes;
    }

    @Override
    public boolean watching() {
        return true;
    }

    @Override
    public void countHits(CacheScope scope, long hits) {
        EmbeddedScope found = scopes.get(scope);
        if (found != null) {
            found.countHits(hits);
        }
    }

    private EmbeddedScope.Entry entry(String key, byte[] value, Duration ttl) {
        long keyBytes = rules.checkKey(key);
        rules.checkValue(value);
        long ttlNanos = Duration.ofMillis(rules.ttlMillis(ttl)).toNanos();
        return new EmbeddedScope.Entry(Arrays.copyOf(value, value.length), keyBytes + value.length, ttlNanos);
    }

    private EmbeddedScope scope(CacheScope scope) {
        EmbeddedScope found = scopes.get(scope);
        return found != null ? found : scopes.computeIfAbsent(scope,
                s -> new EmbeddedScope(quota, ticker, key -> changes.changed(s, key)));
    }
}
