package dev.cove.core.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.invoke.Placement.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementTest {

    /** inFlight is a '|'-separated list of activations per ready instance ('-' for none). */
    @ParameterizedTest(name = "inFlight={0} concurrency={1} starting={2} queued={3} max={4} maxQueue={5} -> {6}")
    @CsvSource({
        // no instance yet: start one and queue
        "-,      1, 0, 0, 4, 10, START_AND_QUEUE, -1",
        // one starting absorbs one waiting activation at concurrency 1; the second arrival starts another
        "-,      1, 1, 0, 4, 10, QUEUE,           -1",
        "-,      1, 1, 1, 4, 10, START_AND_QUEUE, -1",
        // a starting instance with concurrency 4 absorbs up to four
        "-,      4, 1, 3, 4, 10, QUEUE,           -1",
        "-,      4, 1, 4, 4, 10, START_AND_QUEUE, -1",
        // a free instance takes it; the least loaded one
        "0,      1, 0, 0, 4, 10, RUN,              0",
        "3|1|2,  4, 0, 0, 4, 10, RUN,              1",
        "4|4|2,  4, 0, 0, 4, 10, RUN,              2",
        // all busy: start another while allowed
        "1|1,    1, 0, 0, 4, 10, START_AND_QUEUE, -1",
        // all busy at max instances: queue
        "1|1|1|1,1, 0, 0, 4, 10, QUEUE,           -1",
        "1|1,    1, 2, 5, 4, 10, QUEUE,           -1",
        // queue full: refuse
        "1|1|1|1,1, 0,10, 4, 10, REJECT,          -1",
        "-,      1, 1, 0, 1,  0, REJECT,          -1",
        // activations already waiting go first, even if an instance just freed up
        "0,      1, 0, 2, 4, 10, QUEUE,           -1",
    })
    void decides(String inFlight, int concurrency, int starting, int queued, int maxInstances, int maxQueue,
            Decision.Kind kind, int index) {
        int[] counts = inFlight.equals("-") ? new int[0]
                : java.util.Arrays.stream(inFlight.split("\\|")).mapToInt(Integer::parseInt).toArray();
        assertThat(Placement.decide(counts, concurrency, starting, queued, maxInstances, maxQueue))
                .isEqualTo(new Decision(kind, index));
    }
}
