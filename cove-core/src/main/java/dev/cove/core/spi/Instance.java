package dev.cove.core.spi;

import dev.cove.core.model.TierVerdict;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One started, specialised copy of a function: a worker process or, for Java, a loaded class. It runs
 * up to the function's concurrency activations at once; the dispatcher keeps count.
 */
public interface Instance {

    /** Starts an activation; the listener hears its log lines and then, exactly once, its outcome. */
    void run(RunRequest request, RunListener listener);

    /**
     * Ends the instance now. Activations still under way end with {@link RunOutcome.Crashed}; one whose
     * outcome the caller has already decided (a timeout) may ignore that.
     */
    void kill(String reason);

    /** Calls back once the instance has died, whatever the cause; at once if it already has. */
    void onDeath(Runnable callback);

    /** False once the instance has died or been killed. */
    boolean alive();

    /**
     * Freezes the instance, idle, where it stands until {@link #resume}: its processes take no CPU and
     * its timers wait. Answers false, changing nothing, where it can't be (an inline Java function, a
     * sandbox without a freezer). A paused instance can still be killed.
     */
    default boolean pause() {
        return false;
    }

    /** Lets a {@link #pause paused} instance run on; nothing for one that isn't. */
    default void resume() {}

    /**
     * Whether it runs in a sandbox of its own that a failure can leave things in for a debugger: a worker
     * process does; an inline Java function, in the server's JVM, and a sequence do not.
     */
    default boolean sandboxed() {
        return false;
    }

    /**
     * Opens a shell for a person in the instance's sandbox, as its function sees it; blocks for a fork.
     * Empty where there is none to open (an inline Java function, a sandbox without a toolbox).
     *
     * @param output what is written to the terminal, as it comes
     */
    default Optional<Sandbox.Terminal> terminal(int rows, int columns, Consumer<byte[]> output) throws IOException {
        return Optional.empty();
    }

    /**
     * Keeps the instance's sandbox, whatever becomes of the instance, until the answer is run
     * ({@link Sandbox#hold}), and lets nothing new start in it: a failure's sandbox, kept as it left it.
     */
    default Runnable holdSandbox() {
        return () -> {};
    }

    /** The tier of a Java function's instance; empty for other kinds. */
    default Optional<TierVerdict> tier() {
        return Optional.empty();
    }
}
