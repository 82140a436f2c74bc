package dev.cove.core.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.JsonValue;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/** Encoding and decoding of the worker protocol's frames (docs/worker-protocol.md). */
final class Frames {
    /**
     * Also encodes Java functions' results, on virtual threads: Jackson's default buffer pool is one
     * per thread, so every activation's thread allocated fresh buffers (most of the CPU an echo's
     * result cost); a shared pool reuses them among virtual threads.
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    /** What ends every frame on the wire. */
    static final byte[] NEWLINE = {'\n'};

    private Frames() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** One frame's JSON, sent with {@link #NEWLINE} after it. Jackson escapes newlines inside strings. */
    static byte[] encode(ObjectNode frame) {
        try {
            return JSON.writeValueAsBytes(frame);
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

    /** A frame without its newline. */
    static Decoded decode(byte[] bytes) throws IOException {
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
