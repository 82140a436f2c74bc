package dev.cove.worker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out} and {@code System.err}, routed by thread: what a thread prints while it runs an
 * activation (bound with {@link #bind}) becomes that activation's log lines; what any other thread
 * prints, or a thread after its activation ended, is the output of no activation ({@link #route}).
 * Before there is a channel to send it on, output goes to the process's own streams.
 */
final class Output extends OutputStream {
    private static final ThreadLocal<Activation> CURRENT = new ThreadLocal<>();
    private static volatile Activation nobody;

    private final int stream;
    private final PrintStream real;

    private Output(int stream, PrintStream real) {
        this.stream = stream;
        this.real = real;
    }

    static void install() {
        System.setOut(new PrintStream(new Output(Frames.STDOUT, System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Output(Frames.STDERR, System.err), true, StandardCharsets.UTF_8));
    }

    /** Where output of no activation goes from now on; null for the process's own streams. */
    static void route(Activation noActivation) {
        nobody = noActivation;
    }

    /** Sends this thread's output to the activation; answers the one it went to before, for {@link #restore}. */
    static Activation bind(Activation activation) {
        Activation outer = CURRENT.get();
        CURRENT.set(activation);
        return outer;
    }

    static void restore(Activation outer) {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Activation activation = CURRENT.get();
        if (activation == null || activation.done()) {
            activation = nobody;
        }
        if (activation == null) {
            real.write(b, off, len);
        } else {
            activation.write(stream, b, off, len);
        }
    }

    @Override
    public void flush() {
        if (nobody == null) {
            real.flush();
        }
    }
}
