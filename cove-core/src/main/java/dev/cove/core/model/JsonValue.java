package dev.cove.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A function's result: its JSON tree, and its UTF-8 encoding made at most once. A worker's result
 * arrives already encoded (a slice of its frame); an inline result is encoded when first asked
 * for. The HTTP answer and the stored activation record then share the same bytes.
 */
public final class JsonValue {
    /**
     * Encodes inline Java functions' results, on virtual threads: Jackson's default buffer pool is
     * one per thread, so every activation's thread would allocate fresh buffers; a shared pool
     * reuses them among virtual threads.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    private final JsonNode tree;
    private volatile byte[] encoded;

    private JsonValue(JsonNode tree, byte[] encoded) {
        this.tree = tree;
        this.encoded = encoded;
    }

    public static JsonValue of(JsonNode tree) {
        return new JsonValue(tree, null);
    }

    /** A value whose encoding is known: {@code encoded} must be the encoding of {@code tree}. */
    public static JsonValue encoded(JsonNode tree, byte[] encoded) {
        return new JsonValue(tree, encoded);
    }

    public JsonNode tree() {
        return tree;
    }

    /** The UTF-8 JSON text; callers must not change the array. */
    public byte[] bytes() {
        byte[] bytes = encoded;
        if (bytes == null) {
            try {
                bytes = JSON.writeValueAsBytes(tree);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree could not be encoded", e);
            }
            encoded = bytes; // a race only encodes twice
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonValue v && v.tree.equals(tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        byte[] bytes = encoded;
        return bytes == null ? tree.toString() : new String(Arrays.copyOf(bytes, bytes.length),
                StandardCharsets.UTF_8);
    }
}
