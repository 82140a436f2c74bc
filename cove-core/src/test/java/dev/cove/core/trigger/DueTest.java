package dev.cove.core.trigger;

import dev.cove.core.model.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DueTest {
    static final Instant ANCHOR = Instant.parse("2026-01-01T10:00:00Z");

    /**
     * A schedule from a table's cells: {@code cron:EXPR}, {@code once:TIME}, {@code every:DURATION}; start
     * and stop empty or a time; the zone UTC unless given.
     */
    static Schedule schedule(String what, String start, String stop, String zone) {
        String[] kind = what.split(":", 2);
        return new Schedule(
                kind[0].equals("cron") ? Optional.of(kind[1]) : Optional.empty(),
                kind[0].equals("once") ? Optional.of(Instant.parse(kind[1])) : Optional.empty(),
                kind[0].equals("every") ? Optional.of(Duration.parse(kind[1])) : Optional.empty(),
                ZoneId.of(zone == null ? "UTC" : zone),
                Optional.ofNullable(start).map(Instant::parse), Optional.ofNullable(stop).map(Instant::parse),
                false, Schedule.Missed.ONCE, null);
    }

    @ParameterizedTest(name = "{0} after {4}: {5}")
    @CsvSource(nullValues = "-", value = {
        // schedule,               start,                  stop,                   zone,          after,                  next
        "cron:*/5 * * * *,         -,                      -,                      -,             2026-01-01T10:02:00Z,   2026-01-01T10:05:00Z",
        "cron:*/5 * * * *,         -,                      -,                      -,             2026-01-01T10:05:00Z,   2026-01-01T10:10:00Z",
        "cron:*/10 * * * * *,      -,                      -,                      -,             2026-01-01T10:00:03Z,   2026-01-01T10:00:10Z",
        "cron:* * * * * *,         -,                      -,                      -,             2026-01-01T10:00:03.154Z, 2026-01-01T10:00:04Z",
        "cron:*/5 * * * *,         -,                      -,                      -,             2026-01-01T10:02:00.5Z, 2026-01-01T10:05:00Z",
        "cron:0 9 * * *,           -,                      -,                      Europe/Paris,  2026-01-01T00:00:00Z,   2026-01-01T08:00:00Z",
        "cron:0 9 * * *,           -,                      -,                      Europe/Paris,  2026-07-01T00:00:00Z,   2026-07-01T07:00:00Z",
        "cron:0 * * * *,           2026-01-01T10:30:00Z,   -,                      -,             2026-01-01T10:00:00Z,   2026-01-01T11:00:00Z",
        "cron:0 * * * *,           2026-01-01T11:00:00Z,   -,                      -,             2026-01-01T10:00:00Z,   2026-01-01T11:00:00Z",
        "cron:0 * * * *,           -,                      2026-01-01T11:00:00Z,   -,             2026-01-01T10:30:00Z,   2026-01-01T11:00:00Z",
        "cron:0 * * * *,           -,                      2026-01-01T11:00:00Z,   -,             2026-01-01T11:00:00Z,   -",
        "cron:0 0 30 2 *,          -,                      -,                      -,             2026-01-01T10:00:00Z,   -",
        "once:2026-01-01T10:05:00Z, -,                     -,                      -,             2026-01-01T10:00:00Z,   2026-01-01T10:05:00Z",
        "once:2026-01-01T10:05:00Z, -,                     -,                      -,             2026-01-01T10:05:00Z,   -",
        "every:PT10M,              -,                      -,                      -,             2026-01-01T10:00:00Z,   2026-01-01T10:10:00Z",
        "every:PT10M,              -,                      -,                      -,             2026-01-01T10:25:00Z,   2026-01-01T10:30:00Z",
        "every:PT10M,              -,                      -,                      -,             2026-01-01T10:30:00Z,   2026-01-01T10:40:00Z",
        "every:PT10M,              2026-01-01T10:03:00Z,   -,                      -,             2026-01-01T10:00:00Z,   2026-01-01T10:03:00Z",
        "every:PT10M,              2026-01-01T10:03:00Z,   -,                      -,             2026-01-01T10:03:00Z,   2026-01-01T10:13:00Z",
        "every:PT10M,              -,                      2026-01-01T10:15:00Z,   -,             2026-01-01T10:10:00Z,   -",
    })
    void theNextDueTime(String what, String start, String stop, String zone, String after, String next) {
        Due due = Due.of(schedule(what.strip(), start, stop, zone), ANCHOR);
        assertThat(due.after(Instant.parse(after))).isEqualTo(Optional.ofNullable(next).map(Instant::parse));
    }

    @ParameterizedTest(name = "{0} between {2} and {3}: {4}")
    @CsvSource(nullValues = "-", value = {
        // schedule,               start,                  since,                  now,                    missed
        "cron:*/5 * * * *,         -,                      2026-01-01T10:00:00Z,   2026-01-01T10:17:00Z,   2026-01-01T10:15:00Z",
        "cron:*/5 * * * *,         -,                      2026-01-01T10:00:00Z,   2026-01-01T10:15:00Z,   2026-01-01T10:15:00Z",
        "cron:*/5 * * * *,         -,                      2026-01-01T10:15:00Z,   2026-01-01T10:17:00Z,   -",
        "cron:*/5 * * * *,         -,                      2026-01-01T10:00:00Z,   2026-01-01T10:15:00.7Z, 2026-01-01T10:15:00Z",
        "cron:*/5 * * * *,         2026-01-01T10:16:00Z,   2026-01-01T10:00:00Z,   2026-01-01T10:17:00Z,   -",
        "once:2026-01-01T10:05:00Z, -,                     2026-01-01T10:00:00Z,   2026-01-01T10:10:00Z,   2026-01-01T10:05:00Z",
        "once:2026-01-01T10:05:00Z, -,                     2026-01-01T10:05:00Z,   2026-01-01T10:10:00Z,   -",
        "every:PT10M,              -,                      2026-01-01T10:00:00Z,   2026-01-01T10:35:00Z,   2026-01-01T10:30:00Z",
        "every:PT10M,              -,                      2026-01-01T10:00:00Z,   2026-01-01T10:05:00Z,   -",
    })
    void theFireMissedWhileDown(String what, String start, String since, String now, String missed) {
        Due due = Due.of(schedule(what.strip(), start, null, null), ANCHOR);
        assertThat(due.lastBetween(Instant.parse(since), Instant.parse(now)))
                .isEqualTo(Optional.ofNullable(missed).map(Instant::parse));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "* * *           | it has 3 fields, where 5",
        "61 * * * *      | '61 * * * *' is not valid",
        "* * * * * * * * | it has 8 fields",
        "''              | it has 0 fields",
    })
    void aCronExpressionThatDoesNotReadIsRefusedWithTheReason(String expression, String says) {
        assertThatThrownBy(() -> Due.parse(expression.strip())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(says.strip());
    }
}
