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
 */
final class OutputPump {
    private OutputPump() {}

    static void start(String name, InputStream in, int maxLineBytes, Consumer<String> lines) {
        Thread.ofVirtual().name(name).start(() -> pump(in, maxLineBytes, lines));
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
