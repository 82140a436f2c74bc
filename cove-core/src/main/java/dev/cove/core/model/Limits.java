package dev.cove.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What one function may use.
 *
 * @param timeout how long one activation may run
 * @param memoryMb the memory of one instance
 * @param concurrency how many activations one instance runs at once
 * @param logsMb how many megabytes of log lines one activation keeps
 * @param maxInstances how many instances of the function may run at once
 * @param network what its sandbox may reach over the network
 * @param minInstances how many instances are kept started, however idle (0 to maxInstances)
 * @param idleTimeout how long an instance may go without an activation before it stops (1 s to a day)
 * @param debug whether a debugger may open a shell in its sandboxes, and a failure's be kept for one
 *     ({@link Debugging}); off for a function whose sandboxes hold what no operator should see
 */
public record Limits(Duration timeout, int memoryMb, int concurrency, int logsMb, int maxInstances, Network network,
        int minInstances, Duration idleTimeout, boolean debug) {

    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_MEMORY_MB = 4096;
    /** As OpenWhisk keeps an idle container. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(1);
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 256, 1, 10, 4, Network.NONE);

    /**
     * With no instance kept started, idle ones stopped after {@link #DEFAULT_IDLE_TIMEOUT}, and
     * debugging allowed.
     */
    public Limits(Duration timeout, int memoryMb, int concurrency, int logsMb, int maxInstances, Network network) {
        this(timeout, memoryMb, concurrency, logsMb, maxInstances, network, 0, DEFAULT_IDLE_TIMEOUT, true);
    }

    public Limits {
        long ms = timeout.toMillis();
        if (ms < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "timeout must be between 1 ms and " + MAX_TIMEOUT.toMillis() + " ms, was " + ms + " ms");
        }
        requireBetween("memory", memoryMb, 128, MAX_MEMORY_MB, " MB");
        requireBetween("concurrency", concurrency, 1, 500, "");
        requireBetween("logs", logsMb, 0, 100, " MB");
        requireBetween("maxInstances", maxInstances, 1, 100, "");
        Objects.requireNonNull(network, "network");
        if (minInstances < 0 || minInstances > maxInstances) {
            throw new IllegalArgumentException("minInstances must be between 0 and maxInstances (" + maxInstances
                    + "), was " + minInstances);
        }
        if (idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0 || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("idleTimeout must be between " + MIN_IDLE_TIMEOUT.toMillis() + " ms and "
                    + MAX_IDLE_TIMEOUT.toMillis() + " ms (a day), was " + idleTimeout.toMillis() + " ms");
        }
    }

    /** These limits, keeping {@code min} instances started and stopping idle ones after {@code idle}. */
    public Limits withScaling(int min, Duration idle) {
        return new Limits(timeout, memoryMb, concurrency, logsMb, maxInstances, network, min, idle, debug);
    }

    /** These limits, with debugging allowed or not. */
    public Limits withDebug(boolean allowed) {
        return new Limits(timeout, memoryMb, concurrency, logsMb, maxInstances, network, minInstances, idleTimeout,
                allowed);
    }

    private static void requireBetween(String what, int value, int min, int max, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    what + " must be between " + min + unit + " and " + max + unit + ", was " + value + unit);
        }
    }

    public long logBytes() {
        return logsMb * 1024L * 1024L;
    }
}
