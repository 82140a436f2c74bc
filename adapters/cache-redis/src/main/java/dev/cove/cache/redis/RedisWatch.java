package dev.cove.cache.redis;

import dev.cove.core.spi.CacheWatcher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Hears of every change to the Redis backend's entries, whoever makes it (this platform, another one
 * sharing the Redis, an operator's FLUSHALL), through Redis's client tracking (Redis 6 or later). One
 * connection of its own asks to be told of every key under the entries' prefix
 * ({@code CLIENT TRACKING on REDIRECT <its own id> BCAST PREFIX <prefix>d{}, see {@link RedisKeys}),
 * subscribes to {@value #CHANNEL}, and tells each key it hears of as its scope and key; a flushed
 * Redis is told as {@link CacheWatcher#allChanged}.
 *
 * <p><b>Losing it.</b> While the connection is down nothing is heard, so {@link #hearing} turns false
 * first, then {@code allChanged} is told, and no copy is trusted until the connection is back and
 * subscribed. A connection that closes (Redis restarted, the client killed) is noticed at once; a
 * silent one (a cut network) within {@value #SILENCE_MS} ms, as the watch pings it after
 * {@value #PING_MS} ms without a word. It connects again at once, then backs off to one try every
 * {@value #MAX_BACKOFF_MS} ms while Redis refuses (down, too old, or an ACL user without
 * {@code client} and {@code subscribe} rights); only the first failure of each outage is logged.
 *
 * <p><b>Order.</b> Redis writes a change's report when it makes the change, but it reaches this
 * connection after the writer's answer may have reached the writer: a change made by another platform
 * is heard a little later (tens of microseconds on one machine). Changes this platform makes are also
 * told by {@link RedisCache} before their writer is answered.
 */
final class RedisWatch implements AutoCloseable {
    static final String CHANNEL = "__redis__:invalidate";
    static final long PING_MS = 1000;
    static final long SILENCE_MS = 3000;
    static final long MAX_BACKOFF_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(RedisWatch.class);

    private final HostAndPort where;
    private final JedisClientConfig config;
    private final String prefix;
    private final CacheWatcher changes;
    private final Thread listening;
    private final Thread pinging;
    private volatile Listener listener;
    private volatile boolean hearing;
    private volatile boolean closed;
    private volatile long heardNanos;

    /** Starts listening; {@code config} speaks RESP2, in which the reports come as pub/sub messages. */
    RedisWatch(HostAndPort where, JedisClientConfig config, String prefix, CacheWatcher changes) {
        this.where = where;
        this.config = config;
        this.prefix = prefix;
        this.changes = changes;
        this.listening = Thread.ofVirtual().name("cove-cache-watch").start(this::listen);
        this.pinging = Thread.ofVirtual().name("cove-cache-watch-ping").start(this::ping);
    }

    /** Whether every change is heard just now. */
    boolean hearing() {
        return hearing;
    }

    private void listen() {
        long backoff = 0;
        boolean failing = false;
        while (!closed) {
            try (Listener connection = new Listener(where, config)) {
                listener = connection;
                subscribe(connection);
                heardNanos = System.nanoTime();
                hearing = true;
                backoff = 0;
                if (failing) {
                    LOG.info("hears of every change to the cache's entries in Redis again");
                    failing = false;
                }
                while (!closed) {
                    hear(connection.getUnflushedObject());
                }
            } catch (RuntimeException e) {
                // JedisException for Redis's side; a reply of a shape unlooked for (ClassCastException) or
                // a watcher that failed the same way: connect again rather than stop hearing for good
                if (!closed && !failing) {
                    LOG.warn("can't hear of changes to the cache's entries in Redis ({}): workers keep no copies"
                            + " of them until it can", e.getMessage());
                    failing = true;
                }
            } finally {
                listener = null;
                if (hearing) {
                    hearing = false;
                    changes.allChanged();
                }
            }
            backoff = sleep(backoff);
        }
    }

    private void subscribe(Listener connection) {
        Object id = connection.executeCommand(new CommandArguments(Command.CLIENT).add("ID"));
        connection.executeCommand(new CommandArguments(Command.CLIENT).add("TRACKING").add("on")
                .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add(RedisKeys.dataPrefix(prefix)));
        connection.setTimeoutInfinite();
        connection.send(Command.SUBSCRIBE, CHANNEL);
        List<?> confirmed = (List<?>) connection.getUnflushedObject();
        if (!"subscribe".equals(text(confirmed.get(0)))) {
            throw new JedisException("Redis answered SUBSCRIBE with " + text(confirmed.get(0)));
        }
    }

    /** One reply in subscribed mode: a report of changed keys (null for all: a flush), or a pong. */
    private void hear(Object reply) {
        heardNanos = System.nanoTime();
        List<?> message = (List<?>) reply;
        if (!"message".equals(text(message.get(0)))) {
            return;
        }
        if (message.get(2) == null) {
            changes.allChanged();
            return;
        }
        for (Object key : (List<?>) message.get(2)) {
            RedisKeys.place(prefix, (byte[]) key)
                    .ifPresent(place -> changes.changed(place.scope(), place.key()));
        }
    }

    private void ping() {
        while (!closed) {
            try {
                Thread.sleep(PING_MS);
            } catch (InterruptedException e) {
                return;
            }
            Listener connection = listener;
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heardNanos);
            if (connection == null || !hearing || silentMs < PING_MS) {
                continue;
            }
            try {
                if (silentMs >= SILENCE_MS) {
                    connection.forceDisconnect();
                } else {
                    connection.send(Command.PING);
                }
            } catch (Exception e) {
                // the listening thread meets the broken connection and connects again
            }
        }
    }

    private long sleep(long backoffMs) {
        try {
            Thread.sleep(backoffMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        return Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(reply);
    }

    @Override
    public void close() {
        closed = true;
        Listener connection = listener;
        if (connection != null) {
            try {
                connection.forceDisconnect();
            } catch (Exception e) {
                // closing anyway
            }
        }
        listening.interrupt();
        pinging.interrupt();
    }

    /** A connection whose commands the listening and pinging threads may both send. */
    private static final class Listener extends Connection {
        Listener(HostAndPort where, JedisClientConfig config) {
            super(where, config);
        }

        synchronized void send(Command command, String... args) {
            sendCommand(command, args);
            flush();
        }
    }
}
