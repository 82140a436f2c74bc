package dev.cove.core.spi;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When activations time out. Every activation arms one deadline and almost always cancels it, so
 * both must be cheap from any thread: the default is a timer wheel with a 5 ms tick on its own
 * thread, where arming is a queue insert and cancelling a flag (a scheduler tied to an event loop
 * would make each cancel from another thread a task on that loop).
 */
public interface Deadlines extends AutoCloseable {

    /** Runs the action after the delay (give or take a tick), unless cancelled first. */
    Armed arm(Duration delay, Runnable action);

    @Override
    void close();

    /** A deadline that may still be cancelled. */
    @FunctionalInterface
    interface Armed {
        void cancel();
    }

    /** The timer wheel. */
    static Deadlines wheel() {
        HashedWheelTimer timer = new HashedWheelTimer(r -> Thread.ofPlatform().name("cove-deadlines").daemon()
                .unstarted(r), 5, TimeUnit.MILLISECONDS, 1024);
        return new Deadlines() {
            @Override
            public Armed arm(Duration delay, Runnable action) {
                Timeout timeout = timer.newTimeout(t -> action.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
                return timeout::cancel;
            }

            @Override
            public void close() {
                timer.stop();
            }
        };
    }
}
