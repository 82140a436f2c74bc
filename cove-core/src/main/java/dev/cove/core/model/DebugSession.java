package dev.cove.core.model;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A debug shell a person opened ({@link DebugTarget}), as the audit trail keeps it: with which key, when,
 * on what, for how long, and how the shell ended. Times are to the millisecond, as the store keeps them.
 *
 * @param id 32 hex digits that name the session, so that its end replaces the record of its opening
 * @param namespace the namespace whose key opened it
 * @param key the key's uuid (the part before the colon), never its secret
 * @param target what it was opened on, e.g. {@code activation 7f3c…} or {@code function hello}
 * @param opened when it was asked for
 * @param closed when its WebSocket closed; empty while it is open, and for good when its server stopped
 *     while it was
 * @param exit the shell's exit status (128 + the signal when a signal ended it), once it has one
 */
public record DebugSession(String id, String namespace, String key, String target, Instant opened,
        Optional<Instant> closed, Optional<Integer> exit) {

    public DebugSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        opened = opened.truncatedTo(ChronoUnit.MILLIS);
        closed = closed.map(at -> at.truncatedTo(ChronoUnit.MILLIS));
        Objects.requireNonNull(exit, "exit");
    }

    /** A session opened now, under a new id. */
    public static DebugSession open(String namespace, String key, String target, Instant opened) {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return new DebugSession(HexFormat.of().formatHex(id), namespace, key, target, opened, Optional.empty(),
                Optional.empty());
    }

    public DebugSession closedAt(Instant at) {
        return new DebugSession(id, namespace, key, target, opened, Optional.of(at), exit);
    }

    public DebugSession exitedWith(int status) {
        return new DebugSession(id, namespace, key, target, opened, closed, Optional.of(status));
    }

    /** From its opening to its close, once it closed. */
    public Optional<Duration> duration() {
        return closed.map(at -> Duration.between(opened, at));
    }
}
