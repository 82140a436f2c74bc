package dev.cove.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node's function instances share it, whatever each function's own limits say.
 *
 * @param workerMemoryMb the most memory the functions' instances may have together, counted by their
 *     memory limits ({@code cove up --worker-memory})
 * @param maxWait how long an activation may wait for an instance, or its function's time limit when
 *     that is longer ({@code cove up --max-wait}): an instance's start is the platform's time, not the
 *     function's, so a busy machine does not turn a short time limit into failures before anything ran
 * @param pauseAfter how long an instance stays idle before it is paused, its processes frozen where
 *     they stand until its next activation thaws them; zero for never ({@code cove up --pause-after})
 */
public record Scaling(long workerMemoryMb, Duration maxWait, Duration pauseAfter) {
    public static final long MIN_WORKER_MEMORY_MB = 128;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(1);
    public static final Duration DEFAULT_PAUSE_AFTER = Duration.ofSeconds(10);
    private static final Duration MAX_MAX_WAIT = Duration.ofHours(1);
    private static final Duration MIN_PAUSE_AFTER = Duration.ofSeconds(1); // the sweep that pauses runs each second

    public Scaling {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(pauseAfter, "pauseAfter");
        if (workerMemoryMb < MIN_WORKER_MEMORY_MB) {
            throw new IllegalArgumentException("the workers' memory must be at least " + MIN_WORKER_MEMORY_MB
                    + " MB (the least a function may have), was " + workerMemoryMb + " MB");
        }
        if (maxWait.toMillis() < 1 || maxWait.compareTo(MAX_MAX_WAIT) > 0) {
            throw new IllegalArgumentException("the longest wait for an instance must be between 1 ms and an hour, was "
                    + maxWait.toMillis() + " ms");
        }
        if (!pauseAfter.isZero() && (pauseAfter.compareTo(MIN_PAUSE_AFTER) < 0 || pauseAfter.compareTo(Limits.MAX_IDLE_TIMEOUT) > 0)) {
            throw new IllegalArgumentException("an idle instance is paused after between " + MIN_PAUSE_AFTER.toMillis()
                    + " ms and a day, or never (0), was " + pauseAfter.toMillis() + " ms");
        }
    }

    /** With this budget, waits of up to a minute, and idle instances paused after ten seconds. */
    public static Scaling of(long workerMemoryMb) {
        return new Scaling(workerMemoryMb, DEFAULT_MAX_WAIT, DEFAULT_PAUSE_AFTER);
    }

    public Scaling withMaxWait(Duration wait) {
        return new Scaling(workerMemoryMb, wait, pauseAfter);
    }

    public Scaling withPauseAfter(Duration after) {
        return new Scaling(workerMemoryMb, maxWait, after);
    }

    /** How long an activation of a function with this time limit may wait for an instance. */
    public Duration waitFor(Duration timeLimit) {
        return timeLimit.compareTo(maxWait) > 0 ? timeLimit : maxWait;
    }

    /** Whether idle instances are paused at all. */
    public boolean pauses() {
        return !pauseAfter.isZero();
    }
}
