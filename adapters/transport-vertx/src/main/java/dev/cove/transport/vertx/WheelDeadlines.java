package dev.cove.transport.vertx;

import dev.cove.core.spi.Deadlines;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Deadlines on Netty's timer wheel: a 5 ms tick on a thread of its own. */
final class WheelDeadlines implements Deadlines {
    private final HashedWheelTimer timer = new HashedWheelTimer(r -> Thread.ofPlatform().name("cove-deadlines")
            .daemon().unstarted(r), 5, TimeUnit.MILLISECONDS, 1024);

    @Override
    public Armed arm(Duration delay, Runnable action) {
        Timeout timeout = timer.newTimeout(t -> action.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
        return timeout::cancel;
    }

    @Override
    public void close() {
        timer.stop();
    }
}
