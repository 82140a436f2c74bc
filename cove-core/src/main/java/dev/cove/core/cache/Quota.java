package dev.cove.core.cache;

import dev.cove.core.model.CacheSettings;

/**
 * Two quotas (entries and bytes) as the one weight Caffeine bounds. A scope's capacity is
 * {@code entriesPerScope * slot} units; an entry weighs the larger of one slot (its share of the entry
 * quota) and its bytes' share of the byte quota, rounded up. So n entries fit only if n is at most the
 * entry quota and their bytes at most the byte quota: neither quota is ever exceeded. The price: a mix
 * of small and large entries is evicted a little before either quota alone is reached.
 *
 * @param slot units per entry: up to 1024, so that a unit stands for a few bytes of the byte quota
 */
record Quota(long entries, long bytes, int slot) {

    static Quota of(CacheSettings settings) {
        long slot = Math.max(1, Math.min(1024, Integer.MAX_VALUE / settings.entriesPerScope()));
        return new Quota(settings.entriesPerScope(), settings.bytesPerScope(), (int) slot);
    }

    /** What Caffeine's maximumWeight is: at most Integer.MAX_VALUE, so every entry's weight fits an int. */
    long capacity() {
        return entries * slot;
    }

    /** An entry's weight: at least one slot, else its bytes' share of the capacity, rounded up. */
    int weight(long entryBytes) {
        long share = Math.ceilDiv(entryBytes * capacity(), bytes);
        return (int) Math.max(slot, share);
    }
}
