package dev.cove.core.spi;

import dev.cove.core.model.FunctionRevision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs Java functions inside the platform's own JVM, where their code allows it (docs/functions.md,
 * "Tiers"): it checks a version's classes, and starts instances of the versions that passed, each
 * activation stoppable at its time and memory limits. Every implementation passes
 * {@code InlineTierContract} in the tests.
 *
 * <p>The platform decides each version's tier from {@link #check}'s reasons and the tier its
 * deployment asked for, and keeps that verdict; a version that the inline tier had to stop where a
 * process would not have (its memory, its CPU, a class that fails the check as it loads) is moved to
 * the process tier for good, by the callback {@link #start} is given.
 */
public interface InlineTier {

    /** Why this node runs no function inline (the JVM can't meter them, say); empty when it can. */
    Optional<String> unavailable();

    /**
     * The reasons a version's code may not run inline, the first found first, each one sentence naming
     * what it uses (e.g. {@code Probe.main calls java.nio.file.Files.readString}); empty when it may.
     * Blocks on disk.
     *
     * @param entry the version's classes: a folder of class files, or a jar
     * @param main the entry class, as Java names it
     */
    List<String> check(Path entry, String main) throws IOException;

    /**
     * Loads a version that passed {@link #check} and answers its instance. Its class's initialisers
     * and constructor run here, under the function's limits, printing to {@code initLogs}. Blocks:
     * the platform calls it on a thread of its own and bounds the wait with the function's time limit.
     *
     * @param entry as {@link #check} was given it
     * @param calls what the function's activations may ask of the platform
     * @param moveToProcess moves the version to the process tier for good, for the reason given (what
     *     stopped it inline); called by the start or by any later activation
     * @throws StartFailure when the code can't start, saying whose fault that is
     * @throws Moved when the code stopped as it loaded where a process would not stop it: it was moved,
     *     and should start in the process tier now
     */
    Instance start(FunctionRevision revision, Path entry, RunListener initLogs, FunctionCalls calls,
            Consumer<String> moveToProcess) throws StartFailure, Moved;

    /** The code can't run inline after all (it stopped as it loaded): start it in the process tier. */
    final class Moved extends Exception {
        private static final long serialVersionUID = 1L;

        public Moved(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A tier that runs nothing, for this reason: every Java function runs in the process tier. */
    static InlineTier unavailable(String why) {
        return new InlineTier() {
            @Override
            public Optional<String> unavailable() {
                return Optional.of(why);
            }

            @Override
            public List<String> check(Path entry, String main) {
                return List.of("this server runs no function inline: " + why);
            }

            @Override
            public Instance start(FunctionRevision revision, Path entry, RunListener initLogs, FunctionCalls calls,
                    Consumer<String> moveToProcess) throws StartFailure {
                throw new StartFailure(StartFailure.Fault.PLATFORM, "This server runs no function inline: " + why);
            }
        };
    }
}
