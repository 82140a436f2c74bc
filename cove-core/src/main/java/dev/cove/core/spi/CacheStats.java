package dev.cove.core.spi;

/**
 * One scope's counters since it was first used or last cleared.
 *
 * @param hits reads that found an entry
 * @param misses reads that found none (never written, deleted, expired or evicted)
 * @param evictions entries removed to keep the scope under its quota (expiry is not eviction)
 * @param entries entries held now
 * @param bytes what they hold now: each entry's key (UTF-8) and value bytes
 */
public record CacheStats(long hits, long misses, long evictions, long entries, long bytes) {
    public CacheStats {
        requireCount("hits", hits);
        requireCount("misses", misses);
        requireCount("evictions", evictions);
        requireCount("entries", entries);
        requireCount("bytes", bytes);
    }

    /** A scope nothing has used. */
    public static CacheStats empty() {
        return new CacheStats(0, 0, 0, 0, 0);
    }

    private static void requireCount(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
    }
}
