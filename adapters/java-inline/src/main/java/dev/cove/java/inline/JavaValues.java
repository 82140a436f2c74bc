package dev.cove.java.inline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.api.CacheException;
import dev.cove.core.model.JsonValue;
import dev.cove.core.spi.RunOutcome;
import io.vertx.core.json.jackson.HybridJacksonPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to Java values and back for the inline Java tier, walking the trees directly: on the
 * warm path this costs a fraction of a trip through Jackson's data binding.
 */
final class JavaValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * Encodes results on the activations' virtual threads: Jackson's default buffer pool is one per
     * thread, so every activation's thread allocated fresh buffers; Vert.x's pool shares them.
     */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(HybridJacksonPool.getInstance()).build();

    /** A Java function's parameters are a map: a sequence may pass an array on, which it can't take. */
    static final String NOT_AN_OBJECT = "The function was given an array of parameters; a Java function takes a JSON object";

    private JavaValues() {}

    /** An empty JSON object. */
    static ObjectNode object() {
        return NODES.objectNode();
    }

    static Map<String, Object> toMap(ObjectNode params) {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, params.size() * 2));
        params.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    /** The parameters a Java function passes to a call, as JSON. */
    static ObjectNode toParams(Map<String, Object> params) {
        try {
            return (ObjectNode) tree(params == null ? Map.of() : params);
        } catch (NotJson e) {
            throw new IllegalArgumentException("The parameters of the call are not valid JSON: " + e.getMessage());
        }
    }

    /** A value a Java function gives the cache, as JSON. */
    static JsonNode toJson(Object value) {
        try {
            return tree(value);
        } catch (NotJson e) {
            throw new CacheException("The value is not valid JSON: " + e.getMessage());
        }
    }

    static Object toJava(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> toMap((ObjectNode) node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(toJava(item)));
                yield list;
            }
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            default -> null;
        };
    }

    /**
     * The function's result as JSON, or the reason it is not: only maps, lists, strings, numbers,
     * booleans and null are JSON (the platform holds the encoded result to its size limit). The result is
     * encoded in the same walk that builds its tree, which a warm echo measured cheaper than a second
     * walk through Jackson's serialisers.
     */
    static RunOutcome toResult(Map<String, Object> result) {
        if (result == null) { // as OpenWhisk's Java runtime has it
            return new RunOutcome.Failed("The function returned null; it must return a JSON object");
        }
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        JsonNode tree;
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            tree = toNode(result, out);
        } catch (NotJson e) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return new RunOutcome.Returned(JsonValue.encoded(tree, bytes.toByteArray()));
    }

    private static JsonNode tree(Object value) throws NotJson {
        try {
            return toNode(value, null);
        } catch (IOException e) {
            throw new UncheckedIOException("nothing was written, yet writing failed", e);
        }
    }

    /** The value as a JSON tree, written to {@code out} as well unless that is null. */
    private static JsonNode toNode(Object value, JsonGenerator out) throws NotJson, IOException {
        if (value == null) {
            if (out != null) {
                out.writeNull();
            }
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            if (out != null) {
                out.writeString(s);
            }
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            if (out != null) {
                out.writeBoolean(b);
            }
            return NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            JsonNode number = number(n);
            if (out != null) {
                number.serialize(out, null); // a number node writes itself without a provider
            }
            return number;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            if (out != null) {
                out.writeStartObject();
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new NotJson("a key that is not a string");
                }
                if (out != null) {
                    out.writeFieldName(key);
                }
                try {
                    object.set(key, toNode(e.getValue(), out));
                } catch (NotJson inner) {
                    throw inner.under("." + key);
                }
            }
            if (out != null) {
                out.writeEndObject();
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            if (out != null) {
                out.writeStartArray();
            }
            for (int i = 0; i < list.size(); i++) {
                try {
                    array.add(toNode(list.get(i), out));
                } catch (NotJson inner) {
                    throw inner.under("[" + i + "]");
                }
            }
            if (out != null) {
                out.writeEndArray();
            }
            return array;
        }
        throw new NotJson("a " + value.getClass().getName());
    }

    private static JsonNode number(Number n) throws NotJson {
        return switch (n) {
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Byte b -> NODES.numberNode(b);
            case BigInteger b -> NODES.numberNode(b);
            case BigDecimal d -> NODES.numberNode(d);
            default -> {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NotJson("a non-finite number");
                }
                yield NODES.numberNode(d);
            }
        };
    }

    /**
     * The value at a path is not JSON. The path is put together only when this is thrown, as it
     * unwinds out of the containers, so that walking a valid value builds no strings.
     */
    private static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final StringBuilder path = new StringBuilder();

        NotJson(String what) {
            super(what, null, false, false);
            this.what = what;
        }

        /** The same failure, one container further out: {@code step} is its key or index. */
        NotJson under(String step) {
            path.insert(0, step);
            return this;
        }

        @Override
        public String getMessage() {
            return what + " at $" + path;
        }
    }
}
