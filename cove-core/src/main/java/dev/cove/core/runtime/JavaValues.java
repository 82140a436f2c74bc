package dev.cove.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to Java values and back for the in-process Java tier, walking the trees directly: on the
 * warm path this costs a fraction of a trip through Jackson's data binding.
 */
final class JavaValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JavaValues() {}

    static Map<String, Object> toMap(ObjectNode params) {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, params.size() * 2));
        params.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    /** The parameters a Java function passes to a call, as JSON. */
    static ObjectNode toParams(Map<String, Object> params) {
        try {
            return (ObjectNode) toNode(params == null ? Map.of() : params, "$", new long[] {0});
        } catch (NotJson e) {
            throw new IllegalArgumentException("The parameters of the call are not valid JSON: " + e.getMessage());
        }
    }

    /** A value a Java function gives the cache, as JSON. */
    static JsonNode toJson(Object value) {
        try {
            return toNode(value, "$", new long[] {0});
        } catch (NotJson e) {
            throw new dev.cove.api.CacheException("The value is not valid JSON: " + e.getMessage());
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
     * booleans and null are JSON, and the encoded result must fit the size limit. The size is bounded
     * from above while walking; only a result that might be over the limit is encoded to measure it.
     */
    static RunOutcome toResult(Map<String, Object> result, long maxResultBytes) {
        if (result == null) {
            return new RunOutcome.Returned(JsonValue.of(NODES.objectNode()));
        }
        long[] bound = {0};
        JsonNode tree;
        try {
            tree = toNode(result, "$", bound);
        } catch (NotJson e) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + e.getMessage());
        }
        if (bound[0] <= maxResultBytes) {
            return new RunOutcome.Returned(JsonValue.of(tree));
        }
        try {
            byte[] encoded = Frames.JSON.writeValueAsBytes(tree);
            if (encoded.length > maxResultBytes) {
                return new RunOutcome.Failed("The function's result is " + encoded.length
                        + " bytes, over the limit of " + maxResultBytes + " bytes");
            }
            return new RunOutcome.Returned(JsonValue.encoded(tree, encoded));
        } catch (JsonProcessingException e) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode toNode(Object value, String path, long[] bound) throws NotJson {
        bound[0] += 8;
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            bound[0] += 6L * s.length(); // the worst case: every char escaped as a six-byte sequence
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            bound[0] += 24;
            return number(n, path);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new NotJson("a key that is not a string at " + path);
                }
                bound[0] += 6L * key.length() + 4;
                object.set(key, toNode(e.getValue(), path + "." + key, bound));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            for (int i = 0; i < list.size(); i++) {
                array.add(toNode(list.get(i), path + "[" + i + "]", bound));
            }
            return array;
        }
        throw new NotJson("a " + value.getClass().getName() + " at " + path);
    }

    private static JsonNode number(Number n, String path) throws NotJson {
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
                    throw new NotJson("a non-finite number at " + path);
                }
                yield NODES.numberNode(d);
            }
        };
    }

    /** The value at a path is not JSON. */
    private static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson(String message) {
            super(message, null, false, false);
        }
    }
}
