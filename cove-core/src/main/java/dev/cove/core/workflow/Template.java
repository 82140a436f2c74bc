package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parameters, ResultSelector and ItemSelector: a JSON object copied as written, except that a key
 * ending in {@code .$} takes the value its path selects (and loses the suffix), at any depth.
 */
final class Template {
    private final Node root;

    private Template(Node root) {
        this.root = root;
    }

    private sealed interface Node {
        JsonNode apply(JsonNode input, JsonNode context, String role);
    }

    private record Literal(JsonNode value) implements Node {
        @Override
        public JsonNode apply(JsonNode input, JsonNode context, String role) {
            return value.deepCopy();
        }
    }

    private record Reference(String key, Path path) implements Node {
        @Override
        public JsonNode apply(JsonNode input, JsonNode context, String role) {
            return path.read(input, context, role + " field \"" + key + "\" path").deepCopy();
        }
    }

    private record Fields(List<Map.Entry<String, Node>> entries) implements Node {
        @Override
        public JsonNode apply(JsonNode input, JsonNode context, String role) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            entries.forEach(entry -> object.set(entry.getKey(), entry.getValue().apply(input, context, role)));
            return object;
        }
    }

    private record Items(List<Node> items) implements Node {
        @Override
        public JsonNode apply(JsonNode input, JsonNode context, String role) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(item -> array.add(item.apply(input, context, role)));
            return array;
        }
    }

    /** Compiles a template; the exception's message says what is wrong, starting with "field". */
    static Template compile(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("must be an object, was " + Path.kind(json));
        }
        return new Template(node(json));
    }

    private static Node node(JsonNode json) {
        if (json.isObject()) {
            List<Map.Entry<String, Node>> entries = new ArrayList<>();
            json.properties().forEach(field -> entries.add(entry(field.getKey(), field.getValue())));
            return new Fields(entries);
        }
        if (json.isArray()) {
            List<Node> items = new ArrayList<>();
            json.forEach(item -> items.add(node(item)));
            return new Items(items);
        }
        return new Literal(json.deepCopy());
    }

    private static Map.Entry<String, Node> entry(String key, JsonNode value) {
        if (!key.endsWith(".$")) {
            return Map.entry(key, node(value));
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field \"" + key + "\" must be a path string, was " + Path.kind(value));
        }
        if (value.asText().startsWith("States.")) {
            throw new IllegalArgumentException("field \"" + key + "\" calls " + value.asText()
                    + ": intrinsic functions are not supported");
        }
        try {
            return Map.entry(key.substring(0, key.length() - 2), new Reference(key, Path.parse(value.asText())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field \"" + key + "\" is not a path Cove supports: \""
                    + value.asText() + "\": " + e.getMessage(), e);
        }
    }

    /** The template's value for this input; a path that matches nothing fails the state. */
    JsonNode apply(JsonNode input, JsonNode context, String role) {
        return root.apply(input, context, role);
    }
}
