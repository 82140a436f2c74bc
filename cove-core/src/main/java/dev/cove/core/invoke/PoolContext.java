package dev.cove.core.invoke;

import dev.cove.core.model.Activation;
import dev.cove.core.runtime.Runtimes;
import dev.cove.core.spi.Deadlines;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * What every function's pool shares, handed to it by the dispatcher so that a pool never reaches
 * back into the dispatcher itself.
 *
 * @param recorder takes each ended activation to the record (or drops it during a shutdown)
 * @param depths how deep in its chain of calls an activation under way is
 * @param memory the node's budget for its instances' memory
 * @param evictor stops other functions' idle instances until so many megabytes fit the budget, or
 *     answers false when they are not enough
 * @param kept the instances kept for a debugger after their activations failed
 * @param replays what running the last failed activations again takes
 */
record PoolContext(Runtimes runtimes, Deadlines deadlines, Clock clock, Dispatcher.Settings settings,
        DispatchMetrics metrics, Consumer<Activation> recorder, ToIntFunction<String> depths, WorkerMemory memory,
        Evictor evictor, KeptInstances kept, Replays replays) {

    /** Frees memory for a pool's next instance. */
    interface Evictor {
        boolean free(int mb, FunctionPool asking);
    }

    void record(Activation activation) {
        recorder.accept(activation);
    }

    int depthOf(String activationId) {
        return depths.applyAsInt(activationId);
    }
}
