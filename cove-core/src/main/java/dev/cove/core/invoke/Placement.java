package dev.cove.core.invoke;

/**
 * Where an arriving activation goes: the dispatcher's one decision, made over a snapshot of a
 * function's pool and nothing else, so it is tested with tables.
 */
final class Placement {
    private Placement() {}

    /** The outcome: run on instance {@code index}, start an instance and queue, queue, or refuse. */
    record Decision(Kind kind, int index) {
        enum Kind { RUN, START_AND_QUEUE, QUEUE, REJECT }

        static Decision run(int index) {
            return new Decision(Kind.RUN, index);
        }

        static Decision of(Kind kind) {
            return new Decision(kind, -1);
        }
    }

    /**
     * Spreads load: the ready instance with the fewest activations under way takes the next one. When
     * all are full, a new instance starts only if the instances already starting can't absorb the queue.
     *
     * @param inFlight activations under way on each ready instance
     * @param concurrency how many one instance runs at once
     * @param starting instances being started
     * @param queued activations already waiting
     * @param maxInstances ready plus starting instances allowed
     * @param maxQueue waiting activations allowed
     */
    static Decision decide(int[] inFlight, int concurrency, int starting, int queued, int maxInstances, int maxQueue) {
        int best = leastLoaded(inFlight, concurrency);
        if (best >= 0 && queued == 0) {
            return Decision.run(best);
        }
        if (queued >= maxQueue) {
            return Decision.of(Decision.Kind.REJECT);
        }
        if (best >= 0) {
            return Decision.of(Decision.Kind.QUEUE); // behind those already waiting; a free instance takes them
        }
        boolean start = startsAnother(inFlight.length, concurrency, starting, queued + 1, maxInstances);
        return Decision.of(start ? Decision.Kind.START_AND_QUEUE : Decision.Kind.QUEUE);
    }

    /**
     * Where the activation at the head of a queue of {@code queued} goes: to the ready instance with
     * the fewest under way and room for one more; when none has room, an instance starts for it
     * ({@code START_AND_QUEUE}, by the same rule as {@link #decide}), or it waits ({@code QUEUE}).
     */
    static Decision next(int[] inFlight, int concurrency, int starting, int queued, int maxInstances) {
        int best = leastLoaded(inFlight, concurrency);
        if (best >= 0) {
            return Decision.run(best);
        }
        boolean start = startsAnother(inFlight.length, concurrency, starting, queued, maxInstances);
        return Decision.of(start ? Decision.Kind.START_AND_QUEUE : Decision.Kind.QUEUE);
    }

    /** The index of the ready instance with the fewest activations under way and room for one more; -1 if none. */
    private static int leastLoaded(int[] inFlight, int concurrency) {
        int best = -1;
        for (int i = 0; i < inFlight.length; i++) {
            if (inFlight[i] < concurrency && (best < 0 || inFlight[i] < inFlight[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Whether another instance starts for {@code waiting} activations: those already starting can't take them all. */
    private static boolean startsAnother(int ready, int concurrency, int starting, int waiting, int maxInstances) {
        return (long) starting * concurrency < waiting && ready + starting < maxInstances;
    }
}
