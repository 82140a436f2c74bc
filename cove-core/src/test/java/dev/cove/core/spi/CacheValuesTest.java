package dev.cove.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cove.core.model.CacheSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cache's values and their validation: CacheScope, CacheSettings, CacheStats. */
class CacheValuesTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(CacheSettings.defaults()).isEqualTo(new CacheSettings(Duration.ofHours(1), Duration.ofHours(24),
                1_048_576, 1024, 10_000, 67_108_864));
        assertThat(CacheSettings.defaults().quota()).isEqualTo("64 MB and 10000 entries per scope");
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheValue() {
        Duration hour = Duration.ofHours(1);
        assertThatThrownBy(() -> new CacheSettings(Duration.ofHours(2), hour, 10, 10, 10, 100))
                .hasMessage("defaultTtl must be between 1 ms and maxTtl (3600000 ms), was 7200000 ms");
        assertThatThrownBy(() -> new CacheSettings(Duration.ZERO, hour, 10, 10, 10, 100))
                .hasMessage("defaultTtl must be between 1 ms and maxTtl (3600000 ms), was 0 ms");
        assertThatThrownBy(() -> new CacheSettings(hour, Duration.ofNanos(5), 10, 10, 10, 100))
                .hasMessage("maxTtl must be at least 1 ms, was 0 ms");
        assertThatThrownBy(() -> new CacheSettings(hour, hour, 0, 10, 10, 100))
                .hasMessage("maxValueBytes must be between 1 and 536870912, was 0");
        assertThatThrownBy(() -> new CacheSettings(hour, hour, 10, 10, 0, 100))
                .hasMessage("entriesPerScope must be between 1 and 1000000000, was 0");
        assertThatThrownBy(() -> new CacheSettings(hour, hour, 100, 10, 10, 100))
                .hasMessage("bytesPerScope must hold one largest entry (maxKeyBytes + maxValueBytes = 110), was 100");
    }

    @Test
    void scopeNamesAreOneTo256CharactersOfValidUnicode() {
        assertThat(CacheScope.function("guest", "shop", "cart").function()).contains("cart");
        assertThat(CacheScope.function("guest", "shop", "cart").applicationScope())
                .isEqualTo(CacheScope.application("guest", "shop"));
        assertThatThrownBy(() -> CacheScope.application("", "shop"))
                .hasMessage("namespace must be 1 to 256 characters long, was 0");
        assertThatThrownBy(() -> CacheScope.function("guest", "shop", "x".repeat(257)))
                .hasMessage("function must be 1 to 256 characters long, was 257");
        assertThatThrownBy(() -> CacheScope.application("guest", "a\uDC00"))
                .hasMessage("application must be valid Unicode, has a lone surrogate at index 1");
        assertThat(CacheScope.function(":", "..", "*\u0000").namespace()).isEqualTo(":");
    }

    @Test
    void statsAreNeverNegative() {
        assertThatThrownBy(() -> new CacheStats(0, 0, 0, -1, 0)).hasMessage("entries must not be negative, was -1");
    }
}
