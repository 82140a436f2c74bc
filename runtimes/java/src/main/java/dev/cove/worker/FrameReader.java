package dev.cove.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The frames that come in, read on one thread and cut at newlines in one buffer that is reused. Work
 * a frame needs a thread for (a run) gets a virtual thread of its own, so that the reader goes on
 * reading: the answers to an activation's calls arrive while it waits for them, and the socket's end
 * is seen at once, whatever the activations are doing; the reader then halts the process with status 0.
 *
 * <p>Running a run on the reading thread, with a second thread taking over reading meanwhile, was
 * measured here against a virtual thread per run: the same warm round trip within the machine's noise
 * (42 and 45 us p50, a bare echo's 27), for more CPU per run, so the simpler way stayed.
 */
final class FrameReader {
    private static final int READ_BYTES = 64 * 1024;

    private final SocketChannel socket;
    private final Receiver receiver;
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BYTES);
    /** Bytes read, from {@code start} (the next line) to {@code filled}; up to {@code scanned} without a newline. */
    private byte[] buf = new byte[READ_BYTES];
    private int start;
    private int scanned;
    private int filled;

    /** Receives each frame read, as the bytes of one line without its newline. */
    interface Receiver {
        /** Handles a frame; answers the work it needs a thread for, or null. */
        Runnable onFrame(byte[] line, int off, int len);
    }

    FrameReader(SocketChannel socket, Receiver receiver) {
        this.socket = socket;
        this.receiver = receiver;
    }

    /** Reads frames on this thread until the socket closes, then halts the process. */
    void read() {
        while (true) {
            int end = nextLineEnd();
            if (end < 0) {
                Runtime.getRuntime().halt(0);
            }
            int from = start;
            start = end + 1;
            if (end > from) {
                Runnable work = receive(from, end - from);
                if (work != null) {
                    Thread.startVirtualThread(work);
                }
            }
        }
    }

    /** A frame to the receiver, which must not end the reading: whatever it throws is printed as no activation's. */
    private Runnable receive(int off, int len) {
        try {
            return receiver.onFrame(buf, off, len);
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            return null;
        }
    }

    /** The index of the next line's newline, reading as needed; -1 once the socket has closed. */
    private int nextLineEnd() {
        while (true) {
            for (int i = scanned; i < filled; i++) {
                if (buf[i] == '\n') {
                    scanned = i + 1;
                    return i;
                }
            }
            scanned = filled;
            if (!fill()) {
                return -1;
            }
        }
    }

    /** Reads more, after moving what is left of a line not yet ended to the front: once per read at most. */
    private boolean fill() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, filled - start);
            filled -= start;
            scanned -= start;
            start = 0;
        }
        in.clear();
        int n;
        try {
            n = socket.read(in);
        } catch (IOException e) {
            return false;
        }
        if (n < 0) {
            return false;
        }
        if (filled + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, filled + n));
        }
        in.flip().get(buf, filled, n);
        filled += n;
        return true;
    }
}
