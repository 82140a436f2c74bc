package dev.cove.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One finished invocation of a function, as recorded.
 *
 * @param activationId 32 hex characters
 * @param revision the function version that ran
 * @param start when the platform began running it (after any wait in the queue)
 * @param end when it ended
 * @param status how it ended
 * @param result the function's result, or {@code {"error": message}} when it failed
 * @param logs its log lines, {@code <ISO time> <stream>: <text>}
 * @param initTime how long loading the code took, when this activation caused a cold start
 * @param waitTime how long it waited before it began
 * @param causedBy the activation whose function called this one, if one did
 * @param tier the tier a Java function's activation ran in; empty for other kinds
 * @param replayOf the activation this one runs again with the same parameters ({@code cove replay})
 */
public record Activation(
        String activationId, FunctionRevision revision, Instant start, Instant end, ActivationStatus status,
        JsonValue result, List<String> logs, Optional<Duration> initTime, Duration waitTime,
        Optional<String> causedBy, Optional<TierVerdict> tier, Optional<String> replayOf) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[][] STATUS = new byte[ActivationStatus.values().length][];

    static {
        for (ActivationStatus s : ActivationStatus.values()) {
            STATUS[s.ordinal()] = ActivationDocument.statusFragment(s.statusCode(), s.label(), s.success());
        }
    }

    public Activation {
        logs = List.copyOf(logs);
    }

    /** An activation that replays none. */
    public Activation(String activationId, FunctionRevision revision, Instant start, Instant end,
            ActivationStatus status, JsonValue result, List<String> logs, Optional<Duration> initTime,
            Duration waitTime, Optional<String> causedBy, Optional<TierVerdict> tier) {
        this(activationId, revision, start, end, status, result, logs, initTime, waitTime, causedBy, tier,
                Optional.empty());
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** The activation as OpenWhisk's REST API shows it. */
    public ObjectNode toJson() {
        try {
            return (ObjectNode) JSON.readTree(toJsonBytes());
        } catch (IOException e) {
            throw new IllegalStateException("an activation could not be read back", e);
        }
    }

    /** The same as UTF-8 JSON. */
    public byte[] toJsonBytes() {
        return document().json();
    }

    /** The activation as the store keeps it: its parts, whose JSON is written only when asked for. */
    public ActivationRecord toRecord() {
        return new ActivationRecord(activationId, revision.namespace(), revision.name(), start.toEpochMilli(),
                end.toEpochMilli(), status.statusCode(), document(), causedBy);
    }

    private ActivationDocument document() {
        return ActivationDocument.of(revision, tier, STATUS[status.ordinal()], activationId, start.toEpochMilli(),
                end.toEpochMilli(), result.bytes(), logs, initTime.map(Duration::toMillis).orElse(-1L),
                waitTime.toMillis(), causedBy, status == ActivationStatus.TIMEOUT, replayOf);
    }
}
