package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.registry.ActivationRecord;
import dev.cove.core.registry.FunctionRevision;
import dev.cove.core.registry.Limits;
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
        ObjectNode node = JSON.createObjectNode();
        node.put("namespace", revision.namespace());
        node.put("name", revision.name());
        node.put("version", revision.semver());
        node.put("subject", revision.namespace());
        node.put("activationId", activationId);
        node.put("start", start.toEpochMilli());
        node.put("end", end.toEpochMilli());
        node.put("duration", end.toEpochMilli() - start.toEpochMilli());
        node.put("statusCode", status.statusCode());
        ObjectNode response = node.putObject("response");
        response.put("status", status.label());
        response.put("statusCode", status.statusCode());
        response.put("success", status.success());
        response.set("result", result);
        ArrayNode logLines = node.putArray("logs");
        logs.forEach(logLines::add);
        node.set("annotations", annotations());
        node.put("publish", false);
        return node;
    }

    private ArrayNode annotations() {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("key", "path").put("value", revision.path());
        list.addObject().put("key", "kind").put("value", revision.spec().kind().kindName());
        Limits l = revision.spec().limits();
        list.addObject().put("key", "limits").putObject("value")
                .put("timeout", l.timeout().toMillis())
                .put("memory", l.memoryMb())
                .put("concurrency", l.concurrency())
                .put("logs", l.logsMb());
        initTime.ifPresent(t -> list.addObject().put("key", "initTime").put("value", t.toMillis()));
        list.addObject().put("key", "waitTime").put("value", waitTime.toMillis());
        if (status == ActivationStatus.TIMEOUT) {
            list.addObject().put("key", "timeout").put("value", true);
        }
        return list;
    }

    /** The activation as the store keeps it. */
    public ActivationRecord toRecord() {
        return new ActivationRecord(activationId, revision.namespace(), revision.name(), start.toEpochMilli(),
                end.toEpochMilli(), status.statusCode(), toJson().toString());
    }
}
