package dev.cove.cache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make each operation one atomic round trip. Every script gets the same KEYS
 * (the entry's data key, the scope's index, sizes, counters, the namespace's registry) and ARGV
 * (the key as index member, what the scope's data keys start with, its tag, the entry and byte quotas,
 * then its own).
 * Time is Redis's (TIME), so that expiry in the index agrees with the data keys' PX.
 */
final class RedisScripts {
    private RedisScripts() {}

    /** A script's source and its SHA-1, for EVALSHA. */
    record Script(byte[] source, byte[] sha) {
        static Script of(String body) {
            return bare(PRELUDE + body);
        }

        /** A script without the prelude's locals, functions and TIME call. */
        static Script bare(String text) {
            byte[] source = text.getBytes(StandardCharsets.UTF_8);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(source);
                return new Script(source, HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
    }

    private static final String PRELUDE = """
            local data, index, sizes, stats, registry = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
            local member, dataBase, tag = ARGV[1], ARGV[2], ARGV[3]
            local maxEntries, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

            -- Drops m from the index and its size from the counters.
            local function forget(m)
              local size = redis.call('HGET', sizes, m)
              if not size then return end
              redis.call('HDEL', sizes, m)
              redis.call('ZREM', index, m)
              redis.call('HINCRBY', stats, 'entries', -1)
              redis.call('HINCRBY', stats, 'bytes', -tonumber(size))
            end

            -- Forgets entries whose expiry has passed: Redis has dropped their data keys (PX) already.
            local function purge()
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. now)) do forget(m) end
            end

            local function remember(m, size, expires)
              redis.call('ZADD', index, expires, m)
              redis.call('HSET', sizes, m, size)
              redis.call('HINCRBY', stats, 'entries', 1)
              redis.call('HINCRBY', stats, 'bytes', size)
              redis.call('SADD', registry, tag)
            end

            local function count(field)
              return tonumber(redis.call('HGET', stats, field) or 0)
            end

            -- Evicts the entries closest to expiry, never keep, until the scope is within its quotas.
            local function evict(keep)
              local n = 0
              while count('entries') > maxEntries or count('bytes') > maxBytes do
                local first = redis.call('ZRANGE', index, 0, 1)
                local victim = first[1]
                if victim == keep then victim = first[2] end
                if not victim then break end
                forget(victim)
                redis.call('DEL', dataBase .. victim)
                n = n + 1
              end
              if n > 0 then redis.call('HINCRBY', stats, 'evictions', n) end
            end
            """;

    /**
     * The hot path: no prelude, so no TIME call; a plain GET, two O(1) counter writes, and the entry's
     * time left. Answers {value, ms left}, or nil for no entry.
     */
    static final Script GET = Script.bare("""
            local value = redis.call('GET', KEYS[1])
            redis.call('HINCRBY', KEYS[4], value and 'hits' or 'misses', 1)
            redis.call('SADD', KEYS[5], ARGV[3])
            if not value then return false end
            return {value, redis.call('PTTL', KEYS[1])}
            """);

    /** ARGV[6] the value, ARGV[7] the TTL in ms, ARGV[8] '1' to write only when absent. */
    static final Script SET = Script.of("""
            purge()
            if ARGV[8] == '1' and redis.call('EXISTS', data) == 1 then return 0 end
            forget(member)
            redis.call('SET', data, ARGV[6], 'PX', ARGV[7])
            remember(member, #member + #ARGV[6], now + tonumber(ARGV[7]))
            evict(member)
            return 1
            """);

    static final Script DELETE = Script.of("""
            purge()
            local removed = redis.call('DEL', data)
            forget(member)
            return removed
            """);

    /**
     * ARGV[6] the delta, ARGV[7] the TTL in ms for a new entry. Answers {'ok', sum}, {'overflow',
     * value} or {'nan', ''}; the sum is read back as text, since Lua's numbers are doubles.
     */
    static final Script INCREMENT = Script.of("""
            purge()
            local sum = redis.pcall('INCRBY', data, ARGV[6])
            if type(sum) == 'table' and sum.err then
              if string.find(sum.err, 'overflow') then return {'overflow', redis.call('GET', data)} end
              return {'nan', ''}
            end
            local ttl = redis.call('PTTL', data)
            if ttl < 0 then
              redis.call('PEXPIRE', data, ARGV[7])
              ttl = tonumber(ARGV[7])
            end
            local text = redis.call('GET', data)
            forget(member)
            remember(member, #member + #text, now + ttl)
            evict(member)
            return {'ok', text}
            """);

    static final Script STATS = Script.of("""
            purge()
            return redis.call('HMGET', stats, 'hits', 'misses', 'evictions', 'entries', 'bytes')
            """);

    static final Script CLEAR = Script.of("""
            for _, m in ipairs(redis.call('ZRANGE', index, 0, -1)) do redis.call('DEL', dataBase .. m) end
            redis.call('DEL', index, sizes, stats)
            redis.call('SREM', registry, tag)
            return 1
            """);
}
