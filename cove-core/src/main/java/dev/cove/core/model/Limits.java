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
 */
public record Limits(Duration timeout, int memoryMb, int concurrency, int logsMb, int maxInstances, Network network) {

    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_MEMORY_MB = 4096;
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 256, 1, 10, 4, Network.NONE);

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
