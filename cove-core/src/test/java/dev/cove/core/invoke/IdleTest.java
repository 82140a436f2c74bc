package dev.cove.core.invoke;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleTest {
    private static final long T = 600_000; // a ten-minute idle timeout
    private static final long NOW = 10_000_000;

    @Test
    void whatStopsForBeingIdle() {
        record Row(String why, int[] inFlight, long[] idleSince, int starting, int min, List<Integer> stop) {}
        List<Row> rows = List.of(
                new Row("nothing started", new int[] {}, new long[] {}, 0, 0, List.of()),
                new Row("idle exactly the timeout", new int[] {0}, new long[] {NOW - T}, 0, 0, List.of(0)),
                new Row("idle a moment less", new int[] {0}, new long[] {NOW - T + 1}, 0, 0, List.of()),
                new Row("busy instances never stop", new int[] {1, 3}, new long[] {0, 0}, 0, 0, List.of()),
                new Row("the longest idle first", new int[] {0, 0, 0}, new long[] {NOW - T - 5, NOW - T - 50, NOW},
                        0, 0, List.of(1, 0)),
                new Row("the minimum stays started", new int[] {0, 0, 0}, new long[] {0, 10, 20}, 0, 2, List.of(0)),
                new Row("at the minimum, none stops", new int[] {0}, new long[] {0}, 0, 1, List.of()),
                new Row("starting ones count towards it", new int[] {0, 0}, new long[] {0, 10}, 1, 2, List.of(0)),
                new Row("a busy one counts too", new int[] {2, 0, 0}, new long[] {0, 0, 10}, 0, 1, List.of(1, 2)));
        for (Row row : rows) {
            assertThat(Idle.toStop(row.inFlight(), row.idleSince(), row.starting(), NOW, T, row.min()))
                    .as(row.why()).isEqualTo(row.stop());
        }
    }

    @Test
    void whatStartsToKeepTheMinimum() {
        assertThat(Idle.toProvision(0, 0, 0)).isZero();
        assertThat(Idle.toProvision(0, 0, 2)).isEqualTo(2);
        assertThat(Idle.toProvision(1, 0, 2)).isEqualTo(1);
        assertThat(Idle.toProvision(1, 1, 2)).isZero();
        assertThat(Idle.toProvision(3, 0, 2)).isZero();
    }
}
