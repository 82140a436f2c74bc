package dev.cove.worker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frames the worker sends (docs/worker-protocol.md), each written whole on the channel. Their
 * fixed parts are bytes made once; what varies is strings, or JSON already encoded by the caller.
 * Also reads fields of the frames that arrive.
 */
final class Frames {
    private static final byte[] HELLO = ascii("{\"type\":\"hello\",\"token\":");
    private static final byte[] RUNTIME = ascii(",\"runtime\":\"java\",\"version\":");
    private static final byte[] PID = ascii(",\"pid\":");
    private static final byte[] READY = ascii("{\"type\":\"ready\",\"id\":");
    private static final byte[] ERROR = ascii(",\"error\":");
    private static final byte[] DONE = ascii("{\"type\":\"done\",\"id\":");
    private static final byte[] RESULT = ascii(",\"result\":");
    private static final byte[] FAILURE = ascii(",\"failure\":");
    private static final byte[] LOG = ascii("{\"type\":\"log\",\"id\":");
    private static final byte[] STDOUT_LINE = ascii(",\"stream\":\"stdout\",\"line\":");
    private static final byte[] STDERR_LINE = ascii(",\"stream\":\"stderr\",\"line\":");
    private static final byte[] CALL = ascii("{\"type\":\"call\",\"id\":");
    private static final byte[] CACHE = ascii("{\"type\":\"cache\",\"id\":");
    private static final byte[] PUBLISH = ascii("{\"type\":\"publish\",\"id\":");
    private static final byte[] TOPIC = ascii(",\"topic\":");
    private static final byte[] MESSAGE = ascii(",\"message\":");
    private static final byte[] ACTIVATION = ascii(",\"activation\":");
    private static final byte[] NAME = ascii(",\"name\":");
    private static final byte[] PARAMS = ascii(",\"params\":");
    private static final byte[] WAIT = ascii(",\"wait\":true}");
    private static final byte[] NO_WAIT = ascii(",\"wait\":false}");
    private static final byte[] SCOPE = ascii(",\"scope\":");
    private static final byte[] OP = ascii(",\"op\":");
    private static final byte[] KEY = ascii(",\"key\":");
    private static final byte[] FUSED = ascii("{\"type\":\"fused\",\"id\":");
    private static final byte[] N = ascii(",\"n\":");
    private static final byte[] VERSION = ascii(",\"version\":");
    private static final byte[] NULL = ascii("null");

    static final int STDOUT = 0;
    static final int STDERR = 1;

    private Frames() {}

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void hello(Channel channel, String token, String version, long pid) {
        JsonWriter w = channel.begin();
        try {
            w.raw(HELLO).string(token).raw(RUNTIME).string(version).raw(PID).number(pid).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void ready(Channel channel, String id) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(READY), id).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void notReady(Channel channel, String id, String error) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(READY), id).raw(ERROR).string(error).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    /** A done frame with the result's JSON as it was encoded. */
    static void done(Channel channel, String id, JsonWriter result) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(DONE), id).raw(RESULT).raw(result.array(), 0, result.size()).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void failed(Channel channel, String id, String failure) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(DONE), id).raw(FAILURE).string(failure).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    /** A log frame of a line as printed (UTF-8 bytes); {@code id} is null for output of no activation. */
    static void log(Channel channel, String id, int stream, byte[] line, int off, int len) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(LOG), id).raw(stream == STDOUT ? STDOUT_LINE : STDERR_LINE).utf8String(line, off, len)
                    .raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void log(Channel channel, String id, int stream, String line) {
        JsonWriter w = channel.begin();
        try {
            optional(w.raw(LOG), id).raw(stream == STDOUT ? STDOUT_LINE : STDERR_LINE).string(line).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void call(Channel channel, String callId, String activation, String name, JsonWriter params, boolean wait) {
        JsonWriter w = channel.begin();
        try {
            w.raw(CALL).string(callId).raw(ACTIVATION).string(activation);
            optional(w.raw(NAME), name).raw(PARAMS).raw(params.array(), 0, params.size()).raw(wait ? WAIT : NO_WAIT);
            channel.send();
        } finally {
            channel.end();
        }
    }

    /** A cache frame; {@code rest} holds its members after the key, encoded, each with its leading comma. */
    static void cache(Channel channel, String requestId, String activation, String scope, String op, String key,
            JsonWriter rest) {
        JsonWriter w = channel.begin();
        try {
            w.raw(CACHE).string(requestId).raw(ACTIVATION).string(activation).raw(SCOPE).string(scope)
                    .raw(OP).string(op);
            optional(w.raw(KEY), key).raw(rest.array(), 0, rest.size()).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void publish(Channel channel, String requestId, String activation, String topic, JsonWriter message) {
        JsonWriter w = channel.begin();
        try {
            w.raw(PUBLISH).string(requestId).raw(ACTIVATION).string(activation).raw(TOPIC).string(topic)
                    .raw(MESSAGE).raw(message.array(), 0, message.size()).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    static void fused(Channel channel, String id, String caller, long n, String name, String version) {
        JsonWriter w = channel.begin();
        try {
            w.raw(FUSED).string(id).raw(ACTIVATION).string(caller).raw(N).number(n).raw(NAME).string(name)
                    .raw(VERSION).string(version).raw((byte) '}');
            channel.send();
        } finally {
            channel.end();
        }
    }

    /** A string that may be missing from the frame it came in, as JSON null then. */
    private static JsonWriter optional(JsonWriter w, String text) {
        return text == null ? w.raw(NULL) : w.string(text);
    }

    // ---- reading the fields of a frame that arrived ----

    /** A field as text: a string as it is, anything else (a number, say) as its JSON; null stays null. */
    static String text(Map<String, Object> frame, String field) {
        Object value = frame.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        return json(value);
    }

    static String json(Object value) {
        JsonWriter w = JsonWriter.borrow();
        try {
            w.value(value);
            return new String(w.array(), 0, w.size(), StandardCharsets.UTF_8);
        } catch (NotJson e) {
            return String.valueOf(value);
        } finally {
            w.release();
        }
    }

    static long number(Map<String, Object> frame, String field, long otherwise) {
        return frame.get(field) instanceof Number n ? n.longValue() : otherwise;
    }

    /** A limit in bytes: the platform's default (1 MiB) when the frame has none. */
    static long limit(Map<String, Object> frame, String field) {
        long value = number(frame, field, -1);
        return value >= 0 ? value : 1048576;
    }

    /** An object field; absent or not an object, an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }
}
