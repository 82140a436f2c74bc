package dev.cove.core.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.JsonValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.HybridJacksonPool;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/** Encoding and decoding of the worker protocol's frames (docs/worker-protocol.md). */
final class Frames {
    /**
     * With Vert.x's buffer pool: Jackson's default one is per thread, so every virtual thread that
     * encodes allocates fresh buffers (cove-java-inline's JavaValues encodes inline results likewise).
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(HybridJacksonPool.getInstance()).build());
    private static final byte NEWLINE = '\n';

    private Frames() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** One frame: the object's JSON and a newline. Jackson escapes newlines inside strings. */
    static Buffer encode(ObjectNode frame) {
        try {
            byte[] json = JSON.writeValueAsBytes(frame);
            return Buffer.buffer(json.length + 1).appendBytes(json).appendByte(NEWLINE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a frame could not be encoded", e);
        }
    }

    /**
     * A frame read from a worker: its fields, the {@code result} of a done frame kept together with
     * its own bytes, cut from the frame, so it is never encoded again, and the frame's length in bytes.
     */
    record Decoded(ObjectNode fields, Optional<JsonValue> result, int length) {
        String type() {
            return fields.path("type").asText();
        }
    }

    /** A string as a JSON string literal, quotes included. */
    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string could not be encoded", e);
        }
    }

    static Decoded decode(Buffer record) throws IOException {
        byte[] bytes = record.getBytes();
        ObjectNode fields = JSON.createObjectNode();
        Optional<JsonValue> result = Optional.empty();
        try (JsonParser p = JSON.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                JsonNode tree = JSON.readTree(p);
                if ("result".equals(name)) {
                    boolean container = value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY;
                    // after a container's closing bracket the parser stands right past it; scalars may
                    // have read ahead, so they are simply encoded again
                    int end = (int) p.currentLocation().getByteOffset();
                    result = Optional.of(container ? JsonValue.encoded(tree, Arrays.copyOfRange(bytes, start, end))
                            : JsonValue.of(tree));
                } else {
                    fields.set(name, tree);
                }
            }
        }
        if (!fields.path("type").isTextual()) {
            throw new IOException("a frame must have a type");
        }
        return new Decoded(fields, result, bytes.length);
    }
}
