package dev.cove.core.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBufferTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    @Test
    void linesAreStampedWithTheirStream() {
        LogBuffer logs = new LogBuffer(1000, clock);
        logs.add("stdout", "hello");
        logs.add("stderr", "oops");
        assertThat(logs.lines()).containsExactly("2026-01-02T03:04:05.678Z stdout: hello",
                "2026-01-02T03:04:05.678Z stderr: oops");
    }

    @Test
    void pastTheCapOneLineSaysSoAndTheRestIsDropped() {
        LogBuffer logs = new LogBuffer(10, clock);
        logs.add("stdout", "12345");
        logs.add("stdout", "é2345"); // 6 bytes: over the cap
        logs.add("stdout", "more");
        assertThat(logs.lines()).hasSize(2);
        assertThat(logs.lines().get(1))
                .endsWith("stderr: Logs were truncated because they exceeded the limit of 10 bytes.");
    }

    @Test
    void initLogsComeFirst() {
        LogBuffer logs = new LogBuffer(1000, clock);
        logs.add("stdout", "run");
        logs.prepend(List.of("earlier"));
        assertThat(logs.lines()).first().isEqualTo("earlier");
    }
}
