package dev.cove.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's socket, for the frames that go out ({@link FrameReader} reads those that come in):
 * whole, one at a time under one lock, each built in one reused writer and written with one copy into
 * a direct buffer (a single write call unless the kernel takes less). Nothing but frames is ever
 * written to the socket, so nothing a function prints or a child process writes to file descriptors
 * 1 and 2 can corrupt one.
 *
 * <p>Only values already turned into strings or bytes are written under the lock: a function's own
 * objects (a result, a call's parameters) are encoded before, since encoding them runs their code,
 * which may print, which would need the lock again.
 *
 * <p>When the platform closes the socket (or a write fails because it did) the worker has nothing
 * left to do: it halts at once, with status 0, whatever its functions' threads are doing.
 */
final class Channel {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final SocketChannel socket;
    private final ReentrantLock lock = new ReentrantLock();
    private final JsonWriter frame = new JsonWriter(8192);
    private ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_BYTES);

    private Channel(SocketChannel socket) {
        this.socket = socket;
    }

    static Channel over(SocketChannel socket) {
        return new Channel(socket);
    }

    /** A channel that builds frames as the real one does and then drops them: for warming up. */
    static Channel discarding() {
        return new Channel(null);
    }

    /**
     * Starts a frame: takes the lock and answers the empty writer to build it in. The caller sends it
     * with {@link #send} and must call {@link #end} in a {@code finally}.
     */
    JsonWriter begin() {
        lock.lock();
        frame.reset();
        return frame;
    }

    /** Writes the frame begun, with its newline. */
    void send() {
        frame.raw((byte) '\n');
        int n = frame.size();
        if (out.capacity() < n) {
            out = ByteBuffer.allocateDirect(Math.max(n, out.capacity() * 2));
        }
        out.clear();
        out.put(frame.array(), 0, n).flip();
        if (socket != null) {
            write();
        }
    }

    /**
     * A thread whose interrupt flag is set would close an interruptible channel by writing to it: a
     * function that interrupts itself must not end its worker, so the flag waits while the frame goes.
     */
    private void write() {
        boolean interrupted = Thread.interrupted();
        try {
            while (out.hasRemaining()) {
                socket.write(out);
            }
        } catch (IOException e) {
            Runtime.getRuntime().halt(0); // the platform went away
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Releases the lock taken by {@link #begin}. */
    void end() {
        lock.unlock();
    }
}
