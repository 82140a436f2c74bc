package dev.cove.core.invoke;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.registry.ActivationRecord;
import dev.cove.core.registry.FunctionRevision;
import dev.cove.core.registry.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 */
public record Activation(
        String activationId, FunctionRevision revision, Instant start, Instant end, ActivationStatus status,
        JsonNode result, List<String> logs, Optional<Duration> initTime, Duration waitTime) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Activation {
        logs = List.copyOf(logs);
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

    /**
     * The same as UTF-8 JSON, written straight to bytes: every activation is encoded for its record,
     * and this is on the path of every invocation.
     */
    public byte[] toJsonBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("namespace", revision.namespace());
            g.writeStringField("name", revision.name());
            g.writeStringField("version", revision.semver());
            g.writeStringField("subject", revision.namespace());
            g.writeStringField("activationId", activationId);
            g.writeNumberField("start", start.toEpochMilli());
            g.writeNumberField("end", end.toEpochMilli());
            g.writeNumberField("duration", end.toEpochMilli() - start.toEpochMilli());
            g.writeNumberField("statusCode", status.statusCode());
            g.writeObjectFieldStart("response");
            g.writeStringField("status", status.label());
            g.writeNumberField("statusCode", status.statusCode());
            g.writeBooleanField("success", status.success());
            g.writeFieldName("result");
            JSON.writeTree(g, result);
            g.writeEndObject();
            g.writeArrayFieldStart("logs");
            for (String line : logs) {
                g.writeString(line);
            }
            g.writeEndArray();
            writeAnnotations(g);
            g.writeBooleanField("publish", false);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("an activation could not be encoded", e);
        }
        return out.toByteArray();
    }

    private void writeAnnotations(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("annotations");
        annotation(g, "path").writeString(revision.path());
        g.writeEndObject();
        annotation(g, "kind").writeString(revision.spec().kind().kindName());
        g.writeEndObject();
        Limits l = revision.spec().limits();
        annotation(g, "limits").writeStartObject();
        g.writeNumberField("timeout", l.timeout().toMillis());
        g.writeNumberField("memory", l.memoryMb());
        g.writeNumberField("concurrency", l.concurrency());
        g.writeNumberField("logs", l.logsMb());
        g.writeEndObject();
        g.writeEndObject();
        if (initTime.isPresent()) {
            annotation(g, "initTime").writeNumber(initTime.get().toMillis());
            g.writeEndObject();
        }
        annotation(g, "waitTime").writeNumber(waitTime.toMillis());
        g.writeEndObject();
        if (status == ActivationStatus.TIMEOUT) {
            annotation(g, "timeout").writeBoolean(true);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Opens {@code {"key": key, "value": } for the caller to write the value and close. */
    private static JsonGenerator annotation(JsonGenerator g, String key) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeFieldName("value");
        return g;
    }

    /** The activation as the store keeps it. */
    public ActivationRecord toRecord() {
        return new ActivationRecord(activationId, revision.namespace(), revision.name(), start.toEpochMilli(),
                end.toEpochMilli(), status.statusCode(), new String(toJsonBytes(), StandardCharsets.UTF_8));
    }
}
