package dev.cove.core.invoke;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AutoscalerTest {

    @Test
    void howManyInstancesAFunctionWants() {
        record Row(String why, double stable, double panic, int now, int target, int min, int max, int wanted) {}
        List<Row> rows = List.of(
                new Row("nothing to do", 0, 0, 0, 1, 0, 10, 0),
                new Row("the minimum however idle", 0, 0, 0, 1, 2, 10, 2),
                new Row("steady load, one each", 3, 3, 1, 1, 0, 10, 3),
                new Row("a fraction rounds up", 2.2, 2, 1, 1, 0, 10, 3),
                new Row("several activations an instance", 9, 9, 1, 4, 0, 10, 3),
                new Row("a burst under twice the stable demand waits for the stable window", 2, 3.9, 1, 1, 0, 10, 2),
                new Row("a burst of twice it panics", 2, 8, 1, 1, 0, 10, 8),
                new Row("a burst from zero panics", 0, 2, 1, 1, 0, 10, 2),
                new Row("a little load over the minute keeps one", 0.1, 1, 1, 1, 0, 10, 1),
                new Row("panic never scales down", 6, 12.5, 1, 1, 0, 20, 13),
                new Row("never past the maximum", 50, 200, 1, 1, 0, 20, 20),
                new Row("idle now: the minimum, whatever the window remembers", 40, 40, 0, 1, 1, 20, 1));
        for (Row row : rows) {
            assertThat(Autoscaler.desired(row.stable(), row.panic(), row.now(), row.target(), row.min(), row.max()))
                    .as(row.why()).isEqualTo(row.wanted());
        }
    }

    @Test
    void aWindowAveragesItsLastSamples() {
        Autoscaler.Window window = new Autoscaler.Window();
        assertThat(window.average(6)).isZero();
        window.add(2);
        window.add(4);
        assertThat(window.average(6)).as("fewer than asked").isEqualTo(3.0);
        for (int i = 0; i < 60; i++) {
            window.add(i < 54 ? 0 : 10);
        }
        assertThat(window.average(6)).isEqualTo(10.0);
        assertThat(window.average(60)).as("the ring dropped the first two").isEqualTo(1.0);
    }
}
