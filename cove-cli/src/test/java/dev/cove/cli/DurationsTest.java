package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "2m, 120000",
        "60000, 60000",
        "1, 1",
        "' 45 S ', 45000",
        "300s, 300000",
        "2h, 7200000",
    })
    void parsesMillisecondsSecondsMinutesHoursAndPlainNumbers(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "5d", "1.5s", "-3s", "s", "30 seconds", "9999999999"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration like 500ms, 30s, 2m, 1h or 60000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0ms", "0s"})
    void refusesZero(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("longer than 0 ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon"})
    void theConverterReportsAUsageError(String text) {
        assertThatThrownBy(() -> new Durations().convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
