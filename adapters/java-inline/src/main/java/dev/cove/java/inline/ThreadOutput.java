package dev.cove.java.inline;

import dev.cove.core.spi.RunListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Routes {@code System.out} and {@code System.err} by thread: what a thread running a Java activation
 * prints becomes that activation's log lines; every other thread prints to the real streams.
 */
final class ThreadOutput {
    private static final ThreadLocal<Sink> CURRENT = new ThreadLocal<>();
    private static boolean installed;

    private ThreadOutput() {}

    static synchronized void install() {
        if (!installed) {
            System.setOut(new PrintStream(new Router(System.out, "stdout"), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Router(System.err, "stderr"), true, StandardCharsets.UTF_8));
            installed = true;
        }
    }

    /** Sends this thread's output to the listener until {@link #unbind}. */
    static void bind(RunListener listener) {
        CURRENT.set(new Sink(listener));
    }

    /** Flushes a last partial line and goes back to the real streams. */
    static void unbind() {
        Sink sink = CURRENT.get();
        if (sink != null) {
            sink.flush("stdout", sink.out);
            sink.flush("stderr", sink.err);
            CURRENT.remove();
        }
    }

    /** One thread's partial lines; most functions print nothing, so the buffers come on first use. */
    private static final class Sink {
        private final RunListener listener;
        private ByteArrayOutputStream out;
        private ByteArrayOutputStream err;

        Sink(RunListener listener) {
            this.listener = listener;
        }

        void write(String stream, byte[] b, int off, int len) {
            ByteArrayOutputStream line;
            if ("stdout".equals(stream)) {
                line = out == null ? out = new ByteArrayOutputStream() : out;
            } else {
                line = err == null ? err = new ByteArrayOutputStream() : err;
            }
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    flush(stream, line);
                } else {
                    line.write(b[i]);
                }
            }
        }

        void flush(String stream, ByteArrayOutputStream line) {
            if (line != null && line.size() > 0) {
                listener.log(stream, line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }

    private static final class Router extends OutputStream {
        private final PrintStream real;
        private final String stream;

        Router(PrintStream real, String stream) {
            this.real = real;
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Sink sink = CURRENT.get();
            if (sink == null) {
                real.write(b, off, len);
            } else {
                sink.write(stream, b, off, len);
            }
        }

        @Override
        public void flush() {
            if (CURRENT.get() == null) {
                real.flush();
            }
        }
    }
}
