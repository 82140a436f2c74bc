package dev.cove.core.spi;

import java.time.Duration;

/**
 * When activations time out. Every activation arms one deadline and almost always cancels it, so
 * both must be cheap from any thread: a timer wheel with a tick of a few milliseconds on its own
 * thread does it, where arming is a queue insert and cancelling a flag (a scheduler tied to an event
 * loop would make each cancel from another thread a task on that loop).
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
}
