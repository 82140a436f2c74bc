package dev.cove.node;

import dev.cove.bus.nats.NatsSettings;
import dev.cove.cache.redis.RedisSettings;
import dev.cove.core.Node;
import java.util.Objects;

/**
 * How to start one node: the core's settings and the adapters the operator chose, which the core
 * never names.
 *
 * @param platform the core's settings
 * @param cache where the functions' caches live
 * @param topics where topics' messages go
 */
public record NodeOptions(Node.Config platform, CacheChoice cache, TopicsChoice topics) {

    public NodeOptions {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(topics, "topics");
    }

    /** The embedded cache and topics in this process. */
    public NodeOptions(Node.Config platform, CacheChoice cache) {
        this(platform, cache, new EmbeddedTopics());
    }

    /** Where topics' messages go. */
    public sealed interface TopicsChoice permits EmbeddedTopics, NatsTopics {
        /** Where, in one line for a person. */
        String describe();
    }

    /** In this process: a message fires its triggers before its publisher hears back. */
    public record EmbeddedTopics() implements TopicsChoice {
        @Override
        public String describe() {
            return "in this process";
        }
    }

    /** On NATS JetStream, durable, shared by the nodes that name it: each message fires on one of them. */
    public record NatsTopics(NatsSettings settings) implements TopicsChoice {
        public NatsTopics {
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String describe() {
            return "NATS JetStream at " + settings.url() + " (stream " + settings.stream() + ")";
        }
    }

    /** Where the functions' caches live. */
    public sealed interface CacheChoice permits EmbeddedCache, RedisCache {}

    /** In this process (Caffeine): nothing to install; entries live as long as the node. */
    public record EmbeddedCache() implements CacheChoice {}

    /** In a Redis, which other nodes naming it (with the same key prefix) share. */
    public record RedisCache(RedisSettings settings) implements CacheChoice {
        public RedisCache {
            Objects.requireNonNull(settings, "settings");
        }
    }
}
