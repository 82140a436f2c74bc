package dev.cove.cache.redis;

import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.CacheRules;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.CacheStats;
import dev.cove.core.spi.CacheUnavailableException;
import dev.cove.core.spi.CacheWatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis backend.
 *
 * <p><b>Design.</b> Each operation is one Lua script ({@link RedisScripts}), so it is atomic and one
 * round trip over a pooled connection (Jedis {@link RedisClient}, up to {@value #CONNECTIONS}
 * connections). Keys are laid out by {@link RedisKeys}. An entry's value is a Redis string with PX
 * expiry, so reads see expiry exactly, to the millisecond. Beside the entries each scope keeps an
 * index (keys by expiry time), their sizes and its counters; every write first forgets the index
 * entries whose time has passed, then counts itself in, then evicts until the scope is within its
 * quotas.
 *
 * <p><b>Exact and approximate.</b> The quotas are exact: after each write a scope holds at most its
 * entries and bytes (key and value bytes, as the embedded backend counts them; Redis's own overhead,
 * and the index and sizes that repeat each key, come on top). Eviction is approximate: it removes the
 * entries closest to expiry (Redis's volatile-ttl), not the least used, so that reads stay one GET and
 * a counter increment instead of reordering an index. Hits and misses are exact. Entries and bytes
 * count expired entries until the next write or stats call of their scope forgets them; stats always
 * forget first. If Redis itself evicts data keys (a maxmemory policy other than noeviction), their
 * index entries remain counted until their expiry time, at most maxTtl: give Cove's Redis
 * {@code maxmemory-policy noeviction} or room enough.
 *
 * <p><b>Cost.</b> A get is one EVALSHA round trip (the value and its time left; bench/cache.py
 * measures it against a bare round trip). A write also walks the scope's expired index entries,
 * usually none.
 *
 * <p><b>Copies.</b> Once watched, it hears of every change through {@link RedisWatch}, and tells of
 * the changes it makes itself before answering their writer (the watch reports them again a little
 * later: a worker's copy taken meanwhile is dropped once more, a miss, never a stale read). Evictions
 * its scripts make are heard through the watch only.
 *
 * <p><b>Failures.</b> A Redis that is down, slow past {@value #TIMEOUT_MS} ms, or refuses the
 * credentials fails the call with {@link CacheUnavailableException}; the next call tries again. The
 * password lives only in this object's client configurations (the pool's and the watch's).
 */
final class RedisCache implements CacheBackend {
    static final int CONNECTIONS = 16;
    static final int TIMEOUT_MS = 2000;

    private final RedisSettings redis;
    private final CacheRules rules;
    private final RedisClient client;
    private final byte[] maxEntries;
    private final byte[] maxBytes;
    private volatile CacheWatcher changes = CacheWatcher.NOBODY;
    private volatile RedisWatch watch;

    RedisCache(RedisSettings redis, CacheSettings settings) {
        this.redis = redis;
        this.rules = new CacheRules(settings);
        this.maxEntries = ascii(settings.entriesPerScope());
        this.maxBytes = ascii(settings.bytesPerScope());
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(CONNECTIONS);
        pool.setMaxIdle(CONNECTIONS);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        this.client = RedisClient.builder().hostAndPort(redis.host(), redis.port())
                .clientConfig(config(redis, "cove-cache").build()).poolConfig(pool).build();
    }

    /** How to connect and as whom; the password lives here and in the configurations built from it only. */
    private static DefaultJedisClientConfig.Builder config(RedisSettings redis, String clientName) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .timeoutMillis(TIMEOUT_MS).clientName(clientName);
        if (!redis.user().isEmpty()) {
            config.user(redis.user());
        }
        if (!redis.password().isEmpty()) {
            config.password(redis.password());
        }
        return config;
    }

    @Override
    public Optional<Entry> getEntry(CacheScope scope, String key) {
        rules.checkKey(key);
        List<?> found = (List<?>) run(RedisScripts.GET, scope, key);
        return found == null ? Optional.empty()
                : Optional.of(new Entry((byte[]) found.get(0), Duration.ofMillis((Long) found.get(1))));
    }

    @Override
    public void set(CacheScope scope, String key, byte[] value, Duration ttl) {
        write(scope, key, value, ttl, false);
    }

    @Override
    public boolean setIfAbsent(CacheScope scope, String key, byte[] value, Duration ttl) {
        return write(scope, key, value, ttl, true);
    }

    private boolean write(CacheScope scope, String key, byte[] value, Duration ttl, boolean onlyIfAbsent) {
        rules.checkKey(key);
        rules.checkValue(value);
        long ttlMillis = rules.ttlMillis(ttl);
        Object wrote = run(RedisScripts.SET, scope, key, value, ascii(ttlMillis), ascii(onlyIfAbsent ? 1 : 0));
        return told(((Long) wrote) == 1, scope, key);
    }

    @Override
    public boolean delete(CacheScope scope, String key) {
        rules.checkKey(key);
        return told(((Long) run(RedisScripts.DELETE, scope, key)) == 1, scope, key);
    }

    @Override
    public long increment(CacheScope scope, String key, long delta, Duration ttl) {
        rules.checkKey(key);
        long ttlMillis = rules.ttlMillis(ttl);
        List<?> reply = (List<?>) run(RedisScripts.INCREMENT, scope, key, ascii(delta), ascii(ttlMillis));
        String outcome = text(reply.get(0));
        return switch (outcome) {
            case "ok" -> {
                told(true, scope, key);
                yield Long.parseLong(text(reply.get(1)));
            }
            case "overflow" -> throw CacheRules.overflow(text(reply.get(1)), delta);
            default -> throw CacheRules.notAnInteger();
        };
    }

    @Override
    public CacheStats stats(CacheScope scope) {
        List<?> counts = (List<?>) run(RedisScripts.STATS, scope, "");
        long[] n = counts.stream().mapToLong(count -> count == null ? 0 : Long.parseLong(text(count))).toArray();
        return new CacheStats(n[0], n[1], n[2], n[3], n[4]);
    }

    @Override
    public List<CacheScope> scopes(String namespace) {
        byte[] registry = RedisKeys.registry(redis.keyPrefix(), namespace);
        return call(() -> client.smembers(registry)).stream()
                .flatMap(tag -> RedisKeys.scope(tag).stream())
                .filter(scope -> scope.namespace().equals(namespace))
                .sorted(CacheScope.ORDER).toList();
    }

    @Override
    public void clear(CacheScope scope) {
        run(RedisScripts.CLEAR, scope, "");
        changes.cleared(scope);
    }

    @Override
    public CacheSettings settings() {
        return rules.settings();
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public String describe() {
        return "redis at " + redis.where() + ", " + rules.settings().quota();
    }

    @Override
    public void close() {
        Optional.ofNullable(watch).ifPresent(RedisWatch::close);
        client.close();
    }

    /**
     * Starts hearing of changes through a connection of its own ({@link RedisWatch}). Changes made
     * through this object are also told before their writer is answered, so that a function that
     * writes and then calls another sees the other read what it wrote.
     */
    @Override
    public synchronized void watch(CacheWatcher changes) {
        Optional.ofNullable(watch).ifPresent(RedisWatch::close);
        this.changes = changes;
        watch = new RedisWatch(new HostAndPort(redis.host(), redis.port()),
                config(redis, "cove-cache-watch").protocol(RedisProtocol.RESP2).build(), redis.keyPrefix(), changes);
    }

    @Override
    public boolean watching() {
        RedisWatch heard = watch;
        return heard != null && heard.hearing();
    }

    @Override
    public void countHits(CacheScope scope, long hits) {
        byte[] stats = RedisKeys.of(redis.keyPrefix(), scope).stats();
        call(() -> client.hincrBy(stats, "hits".getBytes(StandardCharsets.US_ASCII), hits));
    }

    /** Tells of a change this object made, when it made one. */
    private boolean told(boolean changed, CacheScope scope, String key) {
        if (changed) {
            changes.changed(scope, key);
        }
        return changed;
    }

    /** Runs a script with the KEYS and ARGV every script takes (see RedisScripts), then its own ARGV. */
    private Object run(RedisScripts.Script script, CacheScope scope, String key, byte[]... own) {
        RedisKeys keys = RedisKeys.of(redis.keyPrefix(), scope);
        byte[] member = RedisKeys.utf8(key);
        List<byte[]> keyList = List.of(keys.data(member), keys.index(), keys.sizes(), keys.stats(), keys.registry());
        List<byte[]> args = new ArrayList<>(List.of(member, keys.dataBase(), keys.tag(), maxEntries, maxBytes));
        args.addAll(Arrays.asList(own));
        return call(() -> {
            try {
                return client.evalsha(script.sha(), keyList, args);
            } catch (JedisNoScriptException e) {
                return client.eval(script.source(), keyList, args);
            }
        });
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (JedisException e) {
            throw new CacheUnavailableException("The cache's Redis at " + redis.host() + ":" + redis.port()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
}
