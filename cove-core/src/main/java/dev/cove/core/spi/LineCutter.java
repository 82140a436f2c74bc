package dev.cove.core.spi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a stream of bytes, handed over in pieces, into lines, cutting any line at {@code maxLineBytes}
 * so that a stream without line breaks can't fill the heap. Not thread-safe: one reader feeds it.
 */
final class LineCutter implements ChildProcesses.Lines {
    private final int maxLineBytes;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean cut;

    LineCutter(int maxLineBytes, Consumer<String> lines) {
        this.maxLineBytes = maxLineBytes;
        this.lines = lines;
    }

    @Override
    public void accept(byte[] chunk, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                emit();
            } else if (line.size() < maxLineBytes) {
                line.write(b);
            } else {
                cut = true;
            }
        }
    }

    @Override
    public void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        lines.accept(cut ? s + " [line cut at " + line.size() + " bytes]" : s);
        line.reset();
        cut = false;
    }
}
