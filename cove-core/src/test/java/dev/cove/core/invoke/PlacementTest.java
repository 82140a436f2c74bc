package dev.cove.core.invoke;

import dev.cove.core.invoke.Placement.Decision;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(Placement.decide(counts(inFlight), concurrency, starting, queued, maxInstances, maxQueue))
                .isEqualTo(new Decision(kind, index));
    }

    /** The head of a queue of {@code queued}: to a free instance, or start one by the same rule, or wait. */
    @ParameterizedTest(name = "inFlight={0} concurrency={1} starting={2} queued={3} max={4} -> {5}")
    @CsvSource({
        // a free instance takes the head; the least loaded one
        "0,      1, 0, 3, 4, RUN,              0",
        "3|1|2,  4, 0, 1, 4, RUN,              1",
        // none free: one starting absorbs one waiting at concurrency 1, not two
        "1,      1, 1, 1, 4, QUEUE,           -1",
        "1,      1, 1, 2, 4, START_AND_QUEUE, -1",
        "-,      4, 1, 4, 4, QUEUE,           -1",
        "-,      4, 1, 5, 4, START_AND_QUEUE, -1",
        // at max instances: wait
        "1|1,    1, 2, 9, 4, QUEUE,           -1",
    })
    void decidesTheHeadOfTheQueue(String inFlight, int concurrency, int starting, int queued, int maxInstances,
            Decision.Kind kind, int index) {
        assertThat(Placement.next(counts(inFlight), concurrency, starting, queued, maxInstances))
                .isEqualTo(new Decision(kind, index));
    }

    private static int[] counts(String inFlight) {
        return inFlight.equals("-") ? new int[0]
                : Arrays.stream(inFlight.split("\\|")).mapToInt(Integer::parseInt).toArray();
    }
}
