package dev.cove.core.spi;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The child processes of the platform and its adapters: how they are built, and how their output is
 * read.
 *
 * <p>Every process the platform starts is built here, with only the environment it is given: never the
 * server's, which may hold secrets (the Redis password, say) that a helper running as root on the
 * host, or a worker, has no business with. The helpers are named by absolute path and need nothing
 * of it; a worker gets what its runtime sets.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /**
     * A process's output, handed over in pieces, as lines: each line goes to the consumer it was made
     * with, without its line break; one longer than its maximum is cut there and says so. Not
     * thread-safe: one reader feeds it.
     */
    public interface Lines {
        /** Takes the next piece of the stream. */
        void accept(byte[] chunk, int offset, int length);

        /** The stream ended: a last line without a line break is a line too. */
        void finish();
    }

    /** A process of {@code command} whose environment is {@code environment} and nothing else. */
    public static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /** Lines of at most {@code maxLineBytes} bytes each, for {@code lines}. */
    public static Lines lines(int maxLineBytes, Consumer<String> lines) {
        return new LineCutter(maxLineBytes, lines);
    }

    /**
     * Starts a thread that reads a process's pipe into lines until it ends, then finishes them. It is a
     * platform thread: a pipe read would block a virtual thread's carrier.
     */
    public static Thread pump(String threadName, InputStream in, Lines lines) {
        return OutputPump.start(threadName, in, lines);
    }

    /** Starts a thread that runs {@code read}, which reads a process's pipe, as {@link #pump}'s threads do. */
    public static Thread reader(String threadName, Runnable read) {
        return OutputPump.reader(threadName, read);
    }
}
