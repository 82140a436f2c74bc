package dev.cove.worker;

import dev.cove.api.Cache;
import dev.cove.api.Context;
import dev.cove.api.InvocationException;
import dev.cove.api.PublishException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a function may know of its activation, and its calls and cache, which name the activation. */
final class RunContext implements Context {
    private final Worker worker;
    private final Activation activation;

    RunContext(Worker worker, Activation activation) {
        this.worker = worker;
        this.activation = activation;
    }

    @Override
    public String activationId() {
        return activation.id;
    }

    @Override
    public String namespace() {
        return worker.settings().namespace();
    }

    @Override
    public String functionName() {
        return activation.function.name();
    }

    @Override
    public String functionVersion() {
        return activation.function.version();
    }

    @Override
    public Map<String, String> env() {
        return worker.settings().env();
    }

    @Override
    public Instant deadline() {
        return Instant.ofEpochMilli(activation.deadlineMs);
    }

    @Override
    public Cache cache() {
        return new FrameCache(worker, activation, "function");
    }

    @Override
    public Map<String, Object> invoke(String function, Map<String, Object> params) {
        Map<String, Object> answer = worker.invoke(activation, function, params);
        if (!(answer.get("activationId") instanceof String calledId)) {
            throw refused(answer);
        }
        Object result = answer.get("result");
        if (Boolean.TRUE.equals(answer.get("success"))) {
            return asMap(result);
        }
        throw new InvocationException(errorText(result), calledId, String.valueOf(answer.get("status")), asMap(result));
    }

    @Override
    public String send(String function, Map<String, Object> params) {
        Map<String, Object> answer = worker.send(activation, function, params);
        if (answer.get("activationId") instanceof String calledId) {
            return calledId;
        }
        throw refused(answer);
    }

    @Override
    public String publish(String topic, Map<String, Object> message) {
        Map<String, Object> answer = worker.publish(activation, topic, message);
        if (answer.get("eventId") instanceof String eventId) {
            return eventId;
        }
        throw new PublishException(String.valueOf(Frames.text(answer, "error")));
    }

    private static InvocationException refused(Map<String, Object> answer) {
        return new InvocationException(String.valueOf(Frames.text(answer, "error")), "", "refused", Map.of());
    }

    /** A result is an object, or an array (a Kubeless handler's), which comes as {@code {"result": […]}}. */
    private static Map<String, Object> asMap(Object result) {
        if (result instanceof Map<?, ?>) {
            return Frames.object(result);
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("result", result);
        return wrapped;
    }

    /** The result's error as text: itself when a string, else its JSON; nothing without one. */
    private static String errorText(Object result) {
        if (!(result instanceof Map<?, ?> map) || !map.containsKey("error")) {
            return "";
        }
        Object error = map.get("error");
        return error instanceof String s ? s : Frames.json(error);
    }
}
