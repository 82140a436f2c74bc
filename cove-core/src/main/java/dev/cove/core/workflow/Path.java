package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A reference path, the JSONPath subset ASL's InputPath, ResultPath and friends need: {@code $} (or
 * {@code $$} for the context object) followed by {@code .field}, {@code ['field']} and {@code [index]}
 * steps. Wildcards, filters, slices and negative indexes are refused when the definition is parsed.
 */
record Path(String text, boolean context, List<Path.Step> steps) {
    static final Path ROOT = new Path("$", false, List.of());
    private static final String NOT_IN_NAMES = "*?@()[]'\",: \t\r\n";

    sealed interface Step {}

    record Field(String name) implements Step {}

    record Index(int index) implements Step {}

    Path {
        steps = List.copyOf(steps);
    }

    /** Parses a path; the exception's message says what is wrong, without the path itself. */
    static Path parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("it does not start with $");
        }
        boolean context = text.startsWith("$$");
        List<Step> steps = new ArrayList<>();
        int at = context ? 2 : 1;
        while (at < text.length()) {
            at = switch (text.charAt(at)) {
                case '.' -> dotted(text, at + 1, steps);
                case '[' -> bracketed(text, at + 1, steps);
                default -> throw unexpected(text, at);
            };
        }
        return new Path(text, context, steps);
    }

    private static int dotted(String text, int from, List<Step> steps) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
            if (NOT_IN_NAMES.indexOf(text.charAt(end)) >= 0) {
                throw unexpected(text, end);
            }
            end++;
        }
        if (end == from) {
            throw new IllegalArgumentException("it has an empty field name at character " + from);
        }
        steps.add(new Field(text.substring(from, end)));
        return end;
    }

    private static int bracketed(String text, int from, List<Step> steps) {
        if (from < text.length() && (text.charAt(from) == '\'' || text.charAt(from) == '"')) {
            int close = text.indexOf(text.charAt(from), from + 1);
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ']') {
                throw new IllegalArgumentException("its quoted name at character " + from + " is not closed by "
                        + text.charAt(from) + "]");
            }
            steps.add(new Field(text.substring(from + 1, close)));
            return close + 2;
        }
        int close = text.indexOf(']', from);
        String index = close < 0 ? text.substring(from) : text.substring(from, close);
        if (close < 0 || !index.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("[" + index + (close < 0 ? "" : "]") + " at character " + (from - 1)
                    + " is not a field name in quotes or an index of 0 or more");
        }
        steps.add(new Index(Integer.parseInt(index)));
        return close + 1;
    }

    private static IllegalArgumentException unexpected(String text, int at) {
        return new IllegalArgumentException("\"" + text.charAt(at) + "\" at character " + at
                + " is not supported; paths are $ then .field, ['field'] or [index] steps");
    }

    boolean onlyFields() {
        return steps.stream().allMatch(Field.class::isInstance);
    }

    /** What the path selects in the input (or in the context object, for a {@code $$} path). */
    Optional<JsonNode> find(JsonNode input, JsonNode contextObject) {
        JsonNode node = context ? contextObject : input;
        for (Step step : steps) {
            node = switch (step) {
                case Field field -> node.isObject() ? node.get(field.name()) : null;
                case Index index -> node.isArray() ? node.get(index.index()) : null;
            };
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.of(node);
    }

    /** Like {@link #find}, failing the state with {@code States.Runtime} when nothing matches. */
    JsonNode read(JsonNode input, JsonNode contextObject, String role) {
        return find(input, contextObject).orElseThrow(() -> Fault.runtime(
                role + " \"" + text + "\" matches nothing in " + (context ? "the context object" : "the input")));
    }

    /** A copy of the input with the value at this path, creating objects on the way (ResultPath). */
    JsonNode write(JsonNode input, JsonNode value, String role) {
        if (steps.isEmpty()) {
            return value;
        }
        if (!input.isObject()) {
            throw Fault.runtime(role + " \"" + text + "\" can't be written into " + kind(input) + ", only into an object");
        }
        ObjectNode root = (ObjectNode) input.deepCopy();
        ObjectNode parent = root;
        for (Step step : steps.subList(0, steps.size() - 1)) {
            String name = ((Field) step).name();
            JsonNode child = parent.get(name);
            if (child == null) {
                child = parent.putObject(name);
            } else if (!child.isObject()) {
                throw Fault.runtime(role + " \"" + text + "\" can't be written: field \"" + name + "\" is "
                        + kind(child) + ", not an object");
            }
            parent = (ObjectNode) child;
        }
        parent.set(((Field) steps.get(steps.size() - 1)).name(), value);
        return root;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
