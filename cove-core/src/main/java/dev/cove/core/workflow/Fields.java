package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One JSON object of a definition, read field by field with the checks every field needs; each error
 * starts with where the object is ({@code state "Fetch"}, {@code state "Fan" branch 2: state "X": Retry 1}).
 */
final class Fields {
    /** Fields ASL defines that Cove does not run: refused with a message that says so. */
    private static final Set<String> UNSUPPORTED = Set.of("HeartbeatSeconds", "HeartbeatSecondsPath",
            "TimeoutSecondsPath", "Credentials", "ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailureCount",
            "ToleratedFailurePercentage", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath", "Label",
            "JitterStrategy", "ErrorPath", "CausePath", "MaxConcurrencyPath", "Arguments", "Output", "Assign",
            "QueryLanguage", "Items", "Condition");
    private static final Set<String> KNOWN = known();

    private final JsonNode node;
    private final String where;

    private Fields(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** @param where how errors name this object; empty at the top of the definition */
    static Fields of(JsonNode node, String where, String what) throws InvalidWorkflowException {
        if (!node.isObject()) {
            throw new InvalidWorkflowException(join(where, what + " must be a JSON object, was " + Path.kind(node)));
        }
        return new Fields(node, where);
    }

    String where() {
        return where;
    }

    /** An error about one of this object's fields: {@code where: problem}. */
    InvalidWorkflowException invalid(String problem) {
        return new InvalidWorkflowException(join(where, problem));
    }

    /** An error about the object as a whole: {@code where predicate}, e.g. "Choice rule 2 has no ...". */
    InvalidWorkflowException itself(String predicate) {
        return new InvalidWorkflowException(where + " " + predicate);
    }

    private static String join(String where, String problem) {
        return where.isEmpty() ? problem : where + ": " + problem;
    }

    /** Refuses every field not in {@code allowed}, saying why and suggesting the likely intended one. */
    void only(Collection<String> allowed, String kind) throws InvalidWorkflowException {
        for (String name : names()) {
            if (allowed.contains(name)) {
                continue;
            }
            if (UNSUPPORTED.contains(name)) {
                throw invalid("field \"" + name + "\" is not supported");
            }
            if (KNOWN.contains(name)) {
                throw invalid("field \"" + name + "\" is not allowed in " + kind);
            }
            throw invalid("unknown field \"" + name + "\"" + Spelling.suggestion(name, allowed));
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    boolean has(String name) {
        return node.has(name);
    }

    Optional<JsonNode> node(String name) {
        return Optional.ofNullable(node.get(name));
    }

    JsonNode required(String name) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            throw invalid("field \"" + name + "\" is missing");
        }
        return value;
    }

    Optional<String> text(String name) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw invalid(name + " must be a non-empty string, was " + shown(value));
        }
        return Optional.of(value.asText());
    }

    String requiredText(String name) throws InvalidWorkflowException {
        required(name);
        return text(name).orElseThrow();
    }

    /** An integer field of at least {@code min}. */
    Optional<Long> integer(String name, long min) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < min) {
            throw invalid(name + " must be an integer >= " + min + ", was " + shown(value));
        }
        return Optional.of(value.asLong());
    }

    /** A whole number of seconds, at least one. */
    Optional<Duration> seconds(String name) throws InvalidWorkflowException {
        return integer(name, 1).map(Duration::ofSeconds);
    }

    Optional<Double> number(String name, double min) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber() || value.asDouble() < min) {
            throw invalid(name + " must be a number >= " + min + ", was " + shown(value));
        }
        return Optional.of(value.asDouble());
    }

    /** A path field; absent is empty (the caller picks the default). */
    Optional<Path> path(String name) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(name + " must be a path string, was " + shown(value));
        }
        try {
            return Optional.of(Path.parse(value.asText()));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " \"" + value.asText() + "\" is not a path Cove supports: " + e.getMessage());
        }
    }

    /** InputPath, OutputPath, ResultPath: absent means {@code $}, JSON null means empty. */
    Optional<Path> pathOrNull(String name) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.of(Path.ROOT);
        }
        return value.isNull() ? Optional.empty() : path(name);
    }

    Optional<Template> template(String name) throws InvalidWorkflowException {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Template.compile(value));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " " + e.getMessage());
        }
    }

    /** A non-empty array. */
    List<JsonNode> array(String name) throws InvalidWorkflowException {
        JsonNode value = required(name);
        if (!value.isArray() || value.isEmpty()) {
            throw invalid(name + " must be a non-empty array, was " + shown(value));
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** A non-empty array of non-empty strings. */
    List<String> texts(String name) throws InvalidWorkflowException {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array(name)) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw invalid(name + " must hold only non-empty strings, had " + shown(item));
            }
            texts.add(item.asText());
        }
        return texts;
    }

    /** A value as the user wrote it, shortened: for error messages. */
    static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static Set<String> known() {
        return Set.copyOf(Stream.of(Parser.FIELDS.values().stream().flatMap(Collection::stream),
                Parser.OTHER_FIELDS.stream(), ChoiceRule.FIELDS.stream()).flatMap(s -> s).toList());
    }
}
