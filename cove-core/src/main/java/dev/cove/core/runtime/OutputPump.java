package dev.cove.core.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a process's raw output (what bypassed the worker's own log frames: a child process, native
 * code) as lines, cutting any line at {@code maxLineBytes} so that a stream without line breaks can't
 * fill the heap.
 *
 * <p>On a platform thread with a small stack, not a virtual one: a pipe read blocks its carrier, and
 * with a few workers warm these reads held every carrier of the virtual-thread scheduler, so the
 * in-process Java functions, which run on it, stopped (seen in bench/warm_invoke.py, jstack showing
 * all carriers in FileInputStream.readBytes).
 */
final class OutputPump {
    private static final long STACK_BYTES = 128 * 1024;

    private OutputPump() {}

    static void start(String name, InputStream in, int maxLineBytes, Consumer<String> lines) {
        Thread.ofPlatform().name(name).daemon().stackSize(STACK_BYTES).start(() -> pump(in, maxLineBytes, lines));
    }

    static void pump(InputStream in, int maxLineBytes, Consumer<String> lines) {
        byte[] chunk = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean cut = false;
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        lines.accept(text(line, cut));
                        line.reset();
                        cut = false;
                    } else if (line.size() < maxLineBytes) {
                        line.write(b);
                    } else {
                        cut = true;
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is all there is
        }
        if (line.size() > 0) {
            lines.accept(text(line, cut));
        }
    }

    private static String text(ByteArrayOutputStream line, boolean cut) {
        String s = line.toString(StandardCharsets.UTF_8);
        return cut ? s + " [line cut at " + line.size() + " bytes]" : s;
    }
}
