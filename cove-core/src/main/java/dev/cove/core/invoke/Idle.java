package dev.cove.core.invoke;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which instances of a function stop for having been idle: a pure decision over a snapshot of its
 * pool, tested with tables.
 */
final class Idle {
    private Idle() {}

    /**
     * The ready instances to stop now, longest idle first: those running nothing whose last activation
     * ended {@code timeoutMs} or more before {@code nowMs}, as long as {@code minInstances} stay started.
     *
     * @param inFlight activations under way on each ready instance
     * @param idleSinceMs when each last had nothing under way (or was started)
     * @param starting instances being started, which count towards the minimum
     */
    static List<Integer> toStop(int[] inFlight, long[] idleSinceMs, int starting, long nowMs, long timeoutMs,
            int minInstances) {
        int spare = inFlight.length + starting - minInstances;
        if (spare <= 0) {
            return List.of();
        }
        List<Integer> idle = new ArrayList<>(IntStream.range(0, inFlight.length)
                .filter(i -> inFlight[i] == 0 && nowMs - idleSinceMs[i] >= timeoutMs).boxed().toList());
        idle.sort(Comparator.comparingLong(i -> idleSinceMs[i]));
        return idle.size() > spare ? List.copyOf(idle.subList(0, spare)) : List.copyOf(idle);
    }

    /** How many instances to start so that {@code wanted} (minInstances, or the autoscaler's) are started or starting. */
    static int toProvision(int ready, int starting, int wanted) {
        return Math.max(0, wanted - ready - starting);
    }
}
