package dev.cove.worker;

import java.util.Arrays;

/**
 * One init, run or fused call under way, and where its output goes: the lines its thread prints
 * become log frames with its id, stdout and stderr counted together against its limit
 * (docs/worker-protocol.md, "log"). The worker's output that belongs to no activation goes through one
 * of these too, with no id and no limit.
 *
 * <p>Its methods are synchronized: only its own thread prints to it, but the one of no activation is
 * printed to by any thread.
 */
final class Activation {
    /** Its id; null for the output of no activation. */
    final String id;
    /** What it runs; null for an init and for the output of no activation. */
    final Function function;
    final long deadlineMs;
    /** Its place in its chain of calls: 1 for a run nobody called. */
    final int depth;
    private final long maxLogBytes;
    private final Channel channel;
    private final Line[] partial = new Line[2];
    private long logBytes;
    private boolean truncated;
    private volatile boolean done;
    private long fusedCalls;

    Activation(String id, Function function, long deadlineMs, int depth, long maxLogBytes, Channel channel) {
        this.id = id;
        this.function = function;
        this.deadlineMs = deadlineMs;
        this.depth = depth;
        this.maxLogBytes = maxLogBytes;
        this.channel = channel;
    }

    /** Output of no activation: no id, no limit. */
    static Activation nobody(Channel channel) {
        return new Activation(null, null, 0, 1, Long.MAX_VALUE, channel);
    }

    boolean done() {
        return done;
    }

    /** Bytes printed to {@link Frames#STDOUT} or {@link Frames#STDERR}: each whole line is a log frame. */
    synchronized void write(int stream, byte[] b, int off, int len) {
        if (truncated) {
            return;
        }
        Line line = partial[stream];
        int start = off;
        int end = off + len;
        for (int i = off; i < end && !truncated; i++) {
            if (b[i] == '\n') {
                if (line != null && line.size > 0) {
                    line.append(b, start, i - start);
                    emit(stream, line.bytes, 0, line.size);
                    line.size = 0;
                } else {
                    emit(stream, b, start, i - start);
                }
                start = i + 1;
            }
        }
        if (start < end && !truncated) {
            hold(stream, b, start, end - start);
        }
    }

    /** The start of a line: kept until its end comes, unless it can no longer fit, then sent at once. */
    private void hold(int stream, byte[] b, int off, int len) {
        Line line = partial[stream];
        if (line == null) {
            line = partial[stream] = new Line();
        }
        line.append(b, off, len);
        if (line.size > maxLogBytes - logBytes) {
            emit(stream, line.bytes, 0, line.size);
            line.size = 0;
        }
    }

    /**
     * One line as a log frame. The first that would take the activation past its limit is replaced by
     * one stderr line saying so, which does not count, and nothing more is sent.
     */
    private void emit(int stream, byte[] b, int off, int len) {
        if (logBytes + len > maxLogBytes) {
            truncated = true;
            Frames.log(channel, id, Frames.STDERR, "Logs were truncated after " + maxLogBytes + " bytes.");
            return;
        }
        logBytes += len;
        Frames.log(channel, id, stream, b, off, len);
    }

    /** Sends what is left of unfinished lines, and from then on the activation's output is no one's. */
    synchronized void end() {
        for (int stream = Frames.STDOUT; stream <= Frames.STDERR; stream++) {
            Line line = partial[stream];
            if (line != null && line.size > 0 && !truncated) {
                emit(stream, line.bytes, 0, line.size);
                line.size = 0;
            }
        }
        done = true;
    }

    /**
     * Numbers this activation's next fused call and announces it with a fused frame, in one step, so
     * that its fused frames go in the order of their numbers whatever threads call; answers the
     * callee's id.
     */
    synchronized String fuse(String name, String version) {
        long n = ++fusedCalls;
        String calleeId = FusedIds.of(id, n);
        Frames.fused(channel, calleeId, id, n, name, version);
        return calleeId;
    }

    /** The bytes of a line not yet ended; most activations print nothing, so one comes on first use. */
    private static final class Line {
        byte[] bytes = new byte[128];
        int size;

        void append(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }
}
