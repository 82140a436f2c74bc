package dev.cove.core.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream a process writes (a worker's raw output, a sandbox's own messages) as lines.
 *
 * <p>On a platform thread with a small stack, not a virtual one: a pipe read blocks its carrier, and
 * with a few workers warm these reads held every carrier of the virtual-thread scheduler, so the
 * inline Java functions, which run on it, stopped (seen in bench/warm_invoke.py, jstack showing
 * all carriers in FileInputStream.readBytes).
 */
final class OutputPump {
    private static final long STACK_BYTES = 128 * 1024;

    private OutputPump() {}

    /** Starts a thread for reading a process's pipe. */
    static Thread reader(String name, Runnable read) {
        return Thread.ofPlatform().name(name).daemon().stackSize(STACK_BYTES).start(read);
    }

    /** Starts a thread that pumps the stream into the lines and finishes them at its end. */
    static Thread start(String name, InputStream in, ChildProcesses.Lines lines) {
        return reader(name, () -> pump(in, lines));
    }

    private static void pump(InputStream in, ChildProcesses.Lines lines) {
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                lines.accept(chunk, 0, n);
            }
        } catch (IOException e) {
            // the process is gone; what was read is all there is
        }
        lines.finish();
    }
}
