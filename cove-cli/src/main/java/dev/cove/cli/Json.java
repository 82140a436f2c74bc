package dev.cove.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Optional;

/** The one JSON mapper of the CLI, and the ways it prints JSON. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {}

    /** Two-space indented JSON, {@code "key": value}, without a trailing newline. */
    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serializes", e);
        }
    }

    /** One line of JSON. */
    static String compact(JsonNode node) {
        return node.toString();
    }

    /** The text parsed as JSON, if all of it is one JSON value. */
    static Optional<JsonNode> parse(String text) {
        try {
            return Optional.ofNullable(MAPPER.readTree(text)).filter(node -> !node.isMissingNode());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * A parameter's value as {@code wsk} reads it: text that parses as JSON is that JSON
     * ({@code 42}, {@code true}, {@code {"a":1}}, {@code "quoted"}), anything else is a string.
     */
    static JsonNode parameterValue(String text) {
        return parse(text).orElseGet(() -> TextNode.valueOf(text));
    }

    /** {@code -p KEY VALUE} pairs, flattened as picocli collects them, as one object; a later key wins. */
    static ObjectNode parameters(List<String> keyValuePairs) {
        ObjectNode object = MAPPER.createObjectNode();
        for (int i = 0; i + 1 < keyValuePairs.size(); i += 2) {
            object.set(keyValuePairs.get(i), parameterValue(keyValuePairs.get(i + 1)));
        }
        return object;
    }

    /** A field's text, or the field as compact JSON when it is not a string; empty when absent. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
