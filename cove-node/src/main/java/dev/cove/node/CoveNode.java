package dev.cove.node;

import dev.cove.bus.nats.NatsBus;
import dev.cove.cache.redis.RedisCacheBackend;
import dev.cove.core.Node;
import dev.cove.core.Platform;
import dev.cove.core.cache.CacheGateway;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.WorkerTransport;
import dev.cove.java.inline.JavaInlineTier;
import dev.cove.sandbox.bubblewrap.BubblewrapProvider;
import dev.cove.store.sqlite.SqliteStore;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Optional;

/**
 * Starts one node: the core wired to the adapters it runs on. The only place that names them, so
 * that the server sees a {@link Node} and the model, and an adapter is replaced here alone.
 */
public final class CoveNode {
    private CoveNode() {}

    /**
     * Opens the store ({@code cove.db} in the data folder) and starts the runtimes, whose workers
     * connect over sockets served by this Vert.x; blocks until the stem cells are being started.
     */
    public static Node start(NodeOptions options, Vertx vertx) throws IOException {
        Node.Config config = options.platform();
        CacheBackend cache = cacheBackend(options.cache(), config.cache());
        WorkerTransport workers = VertxTransport.workers(vertx);
        Deadlines deadlines = VertxTransport.deadlines();
        try {
            Optional<MessageBus> topics = topics(options.topics());
            try {
                return Platform.start(config, new Platform.Adapters(SqliteStore.open(config.dataDir().resolve("cove.db")),
                        cache, JavaInlineTier.create(), new BubblewrapProvider(), workers, deadlines, topics));
            } catch (IOException | RuntimeException e) {
                topics.ifPresent(MessageBus::close);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            cache.close();
            workers.close();
            deadlines.close();
            throw e;
        }
    }

    /** The durable bus the operator named, connected; none when topics stay in this process. */
    private static Optional<MessageBus> topics(NodeOptions.TopicsChoice choice) throws IOException {
        return switch (choice) {
            case NodeOptions.EmbeddedTopics embedded -> Optional.empty();
            case NodeOptions.NatsTopics nats -> Optional.of(NatsBus.connect(nats.settings()));
        };
    }

    private static CacheBackend cacheBackend(NodeOptions.CacheChoice choice, CacheSettings settings) {
        return switch (choice) {
            case NodeOptions.EmbeddedCache embedded -> CacheGateway.embeddedBackend(settings);
            case NodeOptions.RedisCache redis -> RedisCacheBackend.create(redis.settings(), settings);
        };
    }
}
