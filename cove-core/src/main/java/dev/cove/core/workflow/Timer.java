package dev.cove.core.workflow;

import java.time.Duration;

/**
 * Runs actions later: Wait states, Retry intervals and timeouts. The platform adapts its timer wheel
 * ({@code (delay, action) -> deadlines.arm(delay, action)::cancel}); tests use a fake one they advance.
 */
@FunctionalInterface
interface Timer {

    /** Runs the action once, on any thread, after the delay (which may be zero), unless cancelled first. */
    Cancellable schedule(Duration delay, Runnable action);

    /** An action that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Does nothing if the action already ran. */
        void cancel();
    }
}
