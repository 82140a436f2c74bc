package dev.cove.node;

import dev.cove.core.Node;
import dev.cove.core.Platform;
import dev.cove.store.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import java.io.IOException;

/**
 * Starts one node: the core wired to the adapters it runs on. The only place that names them, so
 * that the server sees a {@link Node} and the model, and an adapter is replaced here alone.
 */
public final class CoveNode {
    private CoveNode() {}

    /**
     * Opens the store ({@code cove.db} in the data folder) and starts the runtimes; blocks until the
     * stem cells are being started.
     */
    public static Node start(Platform.Config config, Vertx vertx) throws IOException {
        return Platform.start(config, vertx, SqliteStore.open(config.dataDir().resolve("cove.db")));
    }
}
