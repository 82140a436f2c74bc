package dev.cove.transport.vertx;

import dev.cove.core.spi.WorkerTransport;
import dev.cove.core.spi.WorkerTransportContract;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The worker transport's contract over Vert.x, with the native transport the server asks for. */
class WorkerChannelTest extends WorkerTransportContract {
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    protected WorkerTransport transport(Duration helloTimeout) {
        return new WorkerChannel(vertx, helloTimeout);
    }
}
