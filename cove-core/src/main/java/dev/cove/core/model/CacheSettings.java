package dev.cove.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The function cache's limits, which every scope (one function's entries, or one application's shared
 * ones) lives under.
 *
 * @param defaultTtl how long an entry lives when its writer names no TTL (at least 1 ms, at most
 *     {@code maxTtl}); TTLs count in whole milliseconds
 * @param maxTtl the longest TTL a function may ask for; a longer one is refused, not shortened
 * @param maxValueBytes the largest value; a larger one is refused
 * @param maxKeyBytes the longest key, in UTF-8 bytes; a longer one is refused
 * @param entriesPerScope the most entries a scope holds; eviction keeps it there
 * @param bytesPerScope the most key and value bytes a scope holds; eviction keeps it there. At least
 *     one largest entry ({@code maxKeyBytes + maxValueBytes})
 */
public record CacheSettings(Duration defaultTtl, Duration maxTtl, long maxValueBytes, long maxKeyBytes,
        long entriesPerScope, long bytesPerScope) {
    static final long MAX_ENTRIES_PER_SCOPE = 1_000_000_000L;
    static final long MAX_VALUE_BYTES = 512L * 1024 * 1024;

    public CacheSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (maxTtl.toMillis() < 1) {
            throw new IllegalArgumentException("maxTtl must be at least 1 ms, was " + maxTtl.toMillis() + " ms");
        }
        if (defaultTtl.toMillis() < 1 || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("defaultTtl must be between 1 ms and maxTtl (" + maxTtl.toMillis()
                    + " ms), was " + defaultTtl.toMillis() + " ms");
        }
        requireRange("maxValueBytes", maxValueBytes, MAX_VALUE_BYTES);
        requireRange("maxKeyBytes", maxKeyBytes, MAX_VALUE_BYTES);
        requireRange("entriesPerScope", entriesPerScope, MAX_ENTRIES_PER_SCOPE);
        if (bytesPerScope < maxKeyBytes + maxValueBytes) {
            throw new IllegalArgumentException("bytesPerScope must hold one largest entry (maxKeyBytes + maxValueBytes = "
                    + (maxKeyBytes + maxValueBytes) + "), was " + bytesPerScope);
        }
    }

    /** 1 hour by default, 24 hours at most; values up to 1 MB, keys up to 1 KB; 10 000 entries and 64 MB a scope. */
    public static CacheSettings defaults() {
        return new CacheSettings(Duration.ofHours(1), Duration.ofHours(24), 1024 * 1024, 1024, 10_000, 64L * 1024 * 1024);
    }

    /** The quota in the operator's words, e.g. "64 MB and 10000 entries per scope", for a backend's description. */
    public String quota() {
        return size(bytesPerScope) + " and " + entriesPerScope + " entries per scope";
    }

    private static String size(long bytes) {
        long mb = 1024 * 1024;
        if (bytes >= mb && bytes % mb == 0) {
            return bytes / mb + " MB";
        } else if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

    private static void requireRange(String what, long value, long max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " must be between 1 and " + max + ", was " + value);
        }
    }
}
