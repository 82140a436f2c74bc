package dev.cove.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void redisSettingsNeverShowThePassword() {
        RedisSettings settings = RedisSettings.of("localhost", 6379).withUser("cove").withPassword("hunter2");
        assertThat(settings.toString())
                .isEqualTo("RedisSettings[host=localhost, port=6379, user=cove, password=(set), keyPrefix=cove:]");
        assertThat(settings.where()).isEqualTo("localhost:6379 as cove with a password, prefix 'cove:'");
        assertThatThrownBy(() -> RedisSettings.of("localhost", 0))
                .hasMessage("port must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> RedisSettings.of("h", 1).withKeyPrefix("a{b"))
                .hasMessage("keyPrefix must be non-empty and hold no brace, was 'a{b'");
    }
}
