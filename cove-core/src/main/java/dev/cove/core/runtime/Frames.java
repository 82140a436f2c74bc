package dev.cove.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Encoding and decoding of the worker protocol's frames (docs/worker-protocol.md). */
final class Frames {
    static final ObjectMapper JSON = new ObjectMapper();
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

    static JsonNode decode(Buffer record) throws IOException {
        JsonNode node = JSON.readTree(record.getBytes());
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new IOException("a frame must be a JSON object with a type");
        }
        return node;
    }
}
