package dev.cove.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** JSON to Java values and back, for the in-process Java tier. */
final class JavaValues {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private JavaValues() {}

    static Map<String, Object> toMap(ObjectNode params) {
        return Frames.JSON.convertValue(params, MAP);
    }

    /**
     * The function's result as JSON, or the reason it is not: only maps, lists, strings, numbers,
     * booleans and null are JSON, and the encoded result must fit the size limit.
     */
    static RunOutcome toResult(Map<String, Object> result, long maxResultBytes) {
        if (result == null) {
            return new RunOutcome.Returned(Frames.object());
        }
        String problem = firstNonJson(result, "$");
        if (problem != null) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + problem);
        }
        try {
            byte[] encoded = Frames.JSON.writeValueAsBytes(result);
            if (encoded.length > maxResultBytes) {
                return new RunOutcome.Failed("The function's result is " + encoded.length
                        + " bytes, over the limit of " + maxResultBytes + " bytes");
            }
            return new RunOutcome.Returned(Frames.JSON.readTree(encoded));
        } catch (JsonProcessingException e) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return new RunOutcome.Failed("The function's result is not valid JSON: " + e.getMessage());
        }
    }

    private static String firstNonJson(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                    || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
                return "a non-finite number at " + path;
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    return "a key that is not a string at " + path;
                }
                String inner = firstNonJson(e.getValue(), path + "." + key);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String inner = firstNonJson(list.get(i), path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        return "a " + value.getClass().getName() + " at " + path;
    }
}
