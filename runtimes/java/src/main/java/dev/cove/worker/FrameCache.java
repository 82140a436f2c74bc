package dev.cove.worker;

import dev.cove.api.Cache;
import dev.cove.api.CacheException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A function's cache, its own entries or its application's: each operation is a cache frame for the
 * activation, answered by a cached frame (docs/worker-protocol.md, "cache"). The worker keeps no
 * copies of entries, which the protocol leaves optional.
 */
final class FrameCache implements Cache {
    private static final byte[] VALUE = Frames.ascii(",\"value\":");
    private static final byte[] BYTES = Frames.ascii(",\"bytes\":");
    private static final byte[] TTL = Frames.ascii(",\"ttlMs\":");
    private static final byte[] BY = Frames.ascii(",\"by\":");

    private final Worker worker;
    private final Activation activation;
    private final String scope;

    FrameCache(Worker worker, Activation activation, String scope) {
        this.worker = worker;
        this.activation = activation;
        this.scope = scope;
    }

    @Override
    public Optional<Object> get(String key) {
        Map<String, Object> answer = send("get", key, JsonWriter.borrow());
        if (answer.get("bytes") instanceof String bytes) {
            return Optional.of(Base64.getDecoder().decode(bytes));
        }
        return Boolean.TRUE.equals(answer.get("found")) ? Optional.ofNullable(answer.get("value")) : Optional.empty();
    }

    @Override
    public void set(String key, Object value) {
        send("set", key, value(value));
    }

    @Override
    public void set(String key, Object value, Duration ttl) {
        send("set", key, ttl(value(value), ttl));
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        return Boolean.TRUE.equals(send("setIfAbsent", key, ttl(value(value), ttl)).get("written"));
    }

    @Override
    public boolean delete(String key) {
        return Boolean.TRUE.equals(send("delete", key, JsonWriter.borrow()).get("deleted"));
    }

    @Override
    public long increment(String key, long by) {
        JsonWriter rest = JsonWriter.borrow();
        rest.raw(BY).number(by);
        return send("increment", key, rest).get("value") instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public Cache app() {
        return new FrameCache(worker, activation, "app");
    }

    /** The value's member: bytes as base64, anything else as JSON, which it must be. */
    private static JsonWriter value(Object value) {
        JsonWriter rest = JsonWriter.borrow();
        if (value instanceof byte[] bytes) {
            return rest.raw(BYTES).base64(bytes);
        }
        try {
            rest.raw(VALUE).value(value);
            return rest;
        } catch (NotJson e) {
            rest.release();
            throw new CacheException("The value is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonWriter ttl(JsonWriter rest, Duration ttl) {
        return rest.raw(TTL).number(ttl.toMillis());
    }

    /**
     * One operation and its answer. A request the platform could not take as a frame (over twice the
     * result limit, the size of a frame it reads) is refused here.
     */
    private Map<String, Object> send(String op, String key, JsonWriter rest) {
        Map<String, Object> answer;
        try {
            long max = 2 * worker.settings().maxResultBytes();
            if (rest.size() > max) {
                throw new CacheException("The request is " + rest.size() + " bytes, over the limit of " + max + " bytes");
            }
            answer = worker.calls().cache(activation.id, scope, op, key, rest);
        } finally {
            rest.release();
        }
        if (answer.containsKey("error")) {
            throw new CacheException(String.valueOf(Frames.text(answer, "error")));
        }
        return answer;
    }
}
