package dev.cove.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A started, confined set of worker processes: the workers of one application's functions. It is
 * started before anyone knows which application it will serve (a stem cell, with one idle worker in
 * it), so code, limits and network are given to it afterwards, and further workers can be started in
 * it ({@link #spawn}) while it runs.
 *
 * <p>Everything it holds is keyed per worker or per function: {@link #expose} adds code under its own
 * name beside what is there; each worker has limits of its own ({@link Worker#share}) of memory,
 * processes and CPU, which hold for it and everything it starts whatever its siblings use; the network
 * is opened once for all.
 * A sandbox is never given functions of two applications, since nothing inside it separates them: its
 * workers share a user, a pid namespace, a /tmp and a loopback.
 *
 * <p>A sandbox ends when its last worker has ended, or when it is {@link #kill killed} (then every
 * worker in it ends); either way it then releases what it held outside its processes (its cgroups,
 * its copies of code, its network helper) and completes {@link #ended}.
 */
public interface Sandbox {

    /**
     * A worker to start.
     *
     * @param name unique among the sandbox's workers: letters, digits and '-'
     * @param command its command line as the sandbox sees it (see {@link SandboxFactory#programPath},
     *     {@link SandboxFactory#socketPath})
     * @param env its whole environment
     * @param share its limits until {@link Worker#share} changes them
     * @param maxLineBytes where a line of its raw output is cut
     * @param output where each line it (or a process it started) writes to fd 1 or 2 goes
     */
    record Spawn(String name, List<String> command, Map<String, String> env, ResourceLimits share, int maxLineBytes,
            Output output) {
        public Spawn {
            if (!name.matches("[A-Za-z0-9-]{1,100}")) {
                throw new IllegalArgumentException("a worker's name is 1 to 100 letters, digits or '-', was '" + name + "'");
            }
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a worker's command must not be empty");
            }
            if (maxLineBytes < 1) {
                throw new IllegalArgumentException("maxLineBytes must be at least 1, was " + maxLineBytes);
            }
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }
    }

    /** Lines of a worker's raw output, called from one thread at a time. */
    @FunctionalInterface
    interface Output {
        /** @param stream {@code stdout} or {@code stderr} */
        void line(String stream, String line);
    }

    /** One worker process in the sandbox. */
    interface Worker {
        /** Its pid as the sandbox numbers it, or -1 until it is known. */
        long pid();

        /** Completes with its exit status (128 + the signal when a signal ended it) once it has ended. */
        CompletableFuture<Integer> exit();

        default boolean alive() {
            return !exit().isDone();
        }

        /**
         * Ends it and every process it started that is still in its session or descended from it; not
         * its siblings. (A process that left its session and its parent lives until the sandbox ends.)
         */
        void kill();

        /** Sets its limits; may be called again to change them. */
        void share(ResourceLimits share) throws IOException;

        /**
         * Stops it and every process it started where they stand, until {@link #thaw}: they take no CPU,
         * their timers wait, what they hold stays. Answers false, changing nothing, where this sandbox
         * can't. A frozen worker can still be killed.
         */
        default boolean freeze() {
            return false;
        }

        /** Lets a {@link #freeze frozen} worker run on; nothing for one that isn't. */
        default void thaw() {}

        /**
         * The limit of its own whose enforcement ended this worker, in words ("its memory limit of 128
         * MB"): the kernel killed it for memory, or it reached its limit of processes and threads and was
         * ended for it (a fork bomb held at its limit keeps its processes spinning on refused forks,
         * burning CPU in the kernel where nothing preempts them, so it is ended at once rather than at its
         * time limit). Known once {@link #exit} has completed.
         */
        Optional<String> exceededLimit();
    }

    /**
     * A shell for a person, on a new pseudo-terminal in the sandbox (its fds 0-2 and its controlling
     * terminal), in a session of its own, with limits of its own as a worker has.
     *
     * @param name unique among the sandbox's workers, as a {@link Spawn}'s
     * @param command its command line as the sandbox sees it
     * @param env its whole environment
     * @param directory where it starts, as the sandbox sees it
     * @param share its limits
     * @param rows the terminal's height
     * @param columns its width
     * @param output what is written to the terminal, as it comes, from one thread at a time
     */
    record TerminalSpawn(String name, List<String> command, Map<String, String> env, String directory,
            ResourceLimits share, int rows, int columns, Consumer<byte[]> output) {
        public TerminalSpawn {
            if (rows < 1 || rows > 1000 || columns < 1 || columns > 1000) {
                throw new IllegalArgumentException("a terminal has 1 to 1000 rows and columns, was " + rows + "x" + columns);
            }
            if (directory.indexOf('\t') >= 0 || directory.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a terminal's folder can't hold tabs or line breaks, was '" + directory + "'");
            }
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }
    }

    /** A shell on a terminal in the sandbox. */
    interface Terminal {
        /** Bytes typed at the terminal, in order. */
        void type(byte[] keys) throws IOException;

        void resize(int rows, int columns) throws IOException;

        /** Completes with the shell's exit status (128 + the signal when a signal ended it). */
        CompletableFuture<Integer> exit();

        /** Ends the shell and everything it started. */
        void kill();
    }

    /**
     * Starts a {@link Terminal}; blocks no longer than a fork. Fails with {@link SandboxEndedException}
     * when the sandbox has ended, or is ending and not {@link #hold held}; with an IOException where
     * sandboxes have no terminals.
     */
    default Terminal terminal(TerminalSpawn spawn) throws IOException {
        throw new IOException("these sandboxes have no terminals");
    }

    /**
     * Keeps the sandbox from ending when its last worker does, and lets terminals start in it though
     * it takes no new worker, until the answer is run: a failed function's sandbox, kept for debugging
     * as the failure left it. A {@link #kill} ends it all the same. Running the answer again does nothing.
     */
    default Runnable hold() {
        return () -> {};
    }

    /**
     * Starts a worker in the sandbox; blocks no longer than a fork. Fails with
     * {@link SandboxEndedException} when the sandbox has ended or is ending.
     */
    Worker spawn(Spawn spawn) throws IOException;

    /** The host folder where its workers' sockets go (bound into the sandbox, see {@link SandboxFactory#socketPath}). */
    Path socketDir();

    /**
     * Makes a function's code (a file or a folder) visible inside the sandbox, read-only, under a key
     * of its own (a function's name and version, say), and answers the path at which a worker finds it.
     * Exposing the same key again answers the same path.
     */
    String expose(String key, Path code) throws IOException;

    /**
     * Lets the sandbox reach addresses beyond this machine (never the machine itself); until then it
     * has its own loopback only. Opened once, for all its workers.
     */
    void openOutbound() throws IOException;

    /** Ends every process of the sandbox now; from then on it takes no new worker. */
    void kill();

    /**
     * Takes no new worker from now on ({@link #spawn} fails with {@link SandboxEndedException}); the
     * sandbox ends when its last worker does, or once its last {@link #hold} is let go. For a sandbox whose worker ended on its own (it crashed,
     * exited, was killed by the kernel): whatever that worker left behind goes with the sandbox instead
     * of meeting the worker that replaces it.
     */
    void retire();

    /** Completes once the sandbox has ended and released what it held. */
    CompletableFuture<Void> ended();
}
