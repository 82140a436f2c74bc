package dev.cove.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.model.CacheSettings;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotaTest {

    static Quota quota(long entries, long bytes) {
        return Quota.of(new CacheSettings(Duration.ofHours(1), Duration.ofHours(1), 1, 1, entries, bytes));
    }

    @ParameterizedTest(name = "{0} entries, {1} bytes: an entry of {2} bytes weighs {3} of {4}")
    @CsvSource({
            // entries, bytes, entryBytes, weight, capacity
            "10000, 67108864, 1, 1024, 10240000",          // a small entry weighs one slot
            "10000, 67108864, 6710, 1024, 10240000",       // up to a slot's share of the bytes
            "10000, 67108864, 6711, 1025, 10240000",       // past it, rounded up
            "10000, 67108864, 67108864, 10240000, 10240000", // one entry as large as the quota fills it
            "10, 10000, 1003, 1028, 10240",                // 9 fit (9252), a 10th does not
            "3000000, 1000000000, 1, 715, 2145000000",     // many entries: fewer units a slot, weights still ints
    })
    void weighs(long entries, long bytes, long entryBytes, int weight, long capacity) {
        Quota quota = quota(entries, bytes);
        assertThat(quota.weight(entryBytes)).isEqualTo(weight);
        assertThat(quota.capacity()).isEqualTo(capacity).isLessThanOrEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0} entries, {1} bytes, entries of {2} bytes: {3} fit")
    @CsvSource({
            "10, 1000000, 3, 10",        // the entry quota binds
            "1000, 10000, 1003, 9",      // the byte quota binds
            "7, 7000, 1000, 7",          // both exactly
            "10000, 67108864, 100, 10000",
            "10000, 67108864, 65536, 1024",
    })
    void neitherQuotaIsExceeded(long entries, long bytes, long entryBytes, long fit) {
        Quota quota = quota(entries, bytes);
        long fits = quota.capacity() / quota.weight(entryBytes);
        assertThat(fits).isEqualTo(fit).isLessThanOrEqualTo(entries);
        assertThat(fits * entryBytes).isLessThanOrEqualTo(bytes);
    }
}
