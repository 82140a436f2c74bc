package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Choice state's condition: a comparison of the value at {@code Variable}, or And, Or, Not of others.
 * A comparison of values of the wrong type is false, as ASL says; a Variable that matches nothing fails
 * the state with States.Runtime, except under IsPresent.
 */
sealed interface ChoiceRule {
    Set<String> FIELDS = fields();

    boolean test(JsonNode input, JsonNode context);

    record And(List<ChoiceRule> rules) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return rules.stream().allMatch(rule -> rule.test(input, context));
        }
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return rules.stream().anyMatch(rule -> rule.test(input, context));
        }
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return !rule.test(input, context);
        }
    }

    /** @param operand the literal to compare with, or the path to read it from (the ...Path operators) */
    record Comparison(Path variable, Operator operator, Operand operand) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            Optional<JsonNode> value = variable.find(input, context);
            if (operator == Operator.IsPresent) {
                return value.isPresent() == operand.value(input, context).asBoolean();
            }
            JsonNode actual = value.orElseThrow(() -> Fault.runtime("Choice rule Variable \"" + variable.text()
                    + "\" matches nothing in the input"));
            return operator.test(actual, operand, input, context);
        }
    }

    /** The right-hand side of a comparison. */
    sealed interface Operand {
        JsonNode value(JsonNode input, JsonNode context);
    }

    record Literal(JsonNode literal) implements Operand {
        @Override
        public JsonNode value(JsonNode input, JsonNode context) {
            return literal;
        }
    }

    record Reference(Path path) implements Operand {
        @Override
        public JsonNode value(JsonNode input, JsonNode context) {
            return path.read(input, context, "Choice rule operand path");
        }
    }

    /** StringMatches, compiled once: {@code *} matches any run of characters, {@code \*} a star. */
    record Wildcard(String text, Pattern pattern) implements Operand {
        static Wildcard compile(String text) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '*' || text.charAt(i + 1) == '\\')) {
                    regex.append(Pattern.quote(String.valueOf(text.charAt(++i))));
                } else {
                    regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
                }
            }
            return new Wildcard(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
        }

        @Override
        public JsonNode value(JsonNode input, JsonNode context) {
            return TextNode.valueOf(text);
        }
    }

    enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, TYPE }

    enum Operator {
        StringEquals(Kind.STRING), StringLessThan(Kind.STRING), StringGreaterThan(Kind.STRING),
        StringLessThanEquals(Kind.STRING), StringGreaterThanEquals(Kind.STRING), StringMatches(Kind.STRING),
        NumericEquals(Kind.NUMERIC), NumericLessThan(Kind.NUMERIC), NumericGreaterThan(Kind.NUMERIC),
        NumericLessThanEquals(Kind.NUMERIC), NumericGreaterThanEquals(Kind.NUMERIC),
        BooleanEquals(Kind.BOOLEAN),
        TimestampEquals(Kind.TIMESTAMP), TimestampLessThan(Kind.TIMESTAMP), TimestampGreaterThan(Kind.TIMESTAMP),
        TimestampLessThanEquals(Kind.TIMESTAMP), TimestampGreaterThanEquals(Kind.TIMESTAMP),
        IsNull(Kind.TYPE), IsPresent(Kind.TYPE), IsNumeric(Kind.TYPE), IsString(Kind.TYPE), IsBoolean(Kind.TYPE),
        IsTimestamp(Kind.TYPE);

        final Kind kind;

        Operator(Kind kind) {
            this.kind = kind;
        }

        /** Whether a {@code ...Path} variant exists, comparing with another value of the input. */
        boolean hasPathVariant() {
            return kind != Kind.TYPE && this != StringMatches;
        }

        boolean test(JsonNode actual, Operand operand, JsonNode input, JsonNode context) {
            if (kind == Kind.TYPE) {
                return isOfType(actual) == operand.value(input, context).asBoolean();
            }
            if (operand instanceof Wildcard wildcard) {
                return actual.isTextual() && wildcard.pattern().matcher(actual.asText()).matches();
            }
            JsonNode expected = operand.value(input, context);
            return compare(actual, expected).stream().anyMatch(this::holds);
        }

        private boolean isOfType(JsonNode value) {
            return switch (this) {
                case IsNull -> value.isNull();
                case IsNumeric -> value.isNumber();
                case IsString -> value.isTextual();
                case IsBoolean -> value.isBoolean();
                case IsTimestamp -> timestamp(value).isPresent();
                default -> throw new IllegalStateException(this + " is not a type test");
            };
        }

        /** The sign of actual - expected, or empty when either is not of this operator's kind. */
        private Optional<Integer> compare(JsonNode actual, JsonNode expected) {
            return switch (kind) {
                case STRING -> actual.isTextual() && expected.isTextual()
                        ? Optional.of(Integer.signum(actual.asText().compareTo(expected.asText()))) : Optional.empty();
                case NUMERIC -> actual.isNumber() && expected.isNumber()
                        ? Optional.of(actual.decimalValue().compareTo(expected.decimalValue())) : Optional.empty();
                case BOOLEAN -> actual.isBoolean() && expected.isBoolean()
                        ? Optional.of(actual.asBoolean() == expected.asBoolean() ? 0 : 1) : Optional.empty();
                case TIMESTAMP -> timestamp(actual).flatMap(a -> timestamp(expected).map(e -> a.compareTo(e)));
                case TYPE -> Optional.empty();
            };
        }

        private boolean holds(int sign) {
            String name = name();
            if (name.endsWith("LessThanEquals")) {
                return sign <= 0;
            }
            if (name.endsWith("GreaterThanEquals")) {
                return sign >= 0;
            }
            if (name.endsWith("LessThan")) {
                return sign < 0;
            }
            return name.endsWith("GreaterThan") ? sign > 0 : sign == 0;
        }
    }

    /** An RFC 3339 timestamp, as ASL's Timestamp operators and Wait's Timestamp read them. */
    static Optional<Instant> timestamp(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Parses a rule: at the top of Choices ({@code top}) it has a Next, nested in And/Or/Not it has not. */
    static ChoiceRule parse(Fields rule, boolean top) throws InvalidWorkflowException {
        rule.only(top ? FIELDS : nestedFields(), top ? "a Choice rule" : "a nested Choice rule");
        List<String> operators = rule.names().stream().filter(name -> !Set.of("Variable", "Next", "Comment")
                .contains(name)).toList();
        if (operators.isEmpty()) {
            throw rule.itself("has no comparison operator");
        }
        if (operators.size() > 1) {
            throw rule.itself("has more than one operator: " + String.join(", ", operators));
        }
        String operator = operators.get(0);
        return switch (operator) {
            case "And", "Or", "Not" -> combination(rule, operator);
            default -> comparison(rule, operator);
        };
    }

    private static ChoiceRule combination(Fields rule, String operator) throws InvalidWorkflowException {
        if (rule.has("Variable")) {
            throw rule.itself("has a Variable, which " + operator + " does not use");
        }
        if (operator.equals("Not")) {
            return new Not(parse(Fields.of(rule.required("Not"), rule.where() + ", Not rule", "it"), false));
        }
        List<ChoiceRule> rules = new ArrayList<>();
        List<JsonNode> items = rule.array(operator);
        for (int i = 0; i < items.size(); i++) {
            rules.add(parse(Fields.of(items.get(i), rule.where() + ", " + operator + " rule " + (i + 1), "it"), false));
        }
        return operator.equals("And") ? new And(rules) : new Or(rules);
    }

    private static ChoiceRule comparison(Fields rule, String field) throws InvalidWorkflowException {
        Path variable = rule.path("Variable").orElseThrow(() -> rule.itself("has " + field + " but no Variable"));
        boolean byPath = field.endsWith("Path");
        Operator operator = Operator.valueOf(byPath ? field.substring(0, field.length() - 4) : field);
        JsonNode value = rule.required(field);
        if (byPath) {
            return new Comparison(variable, operator, new Reference(rule.path(field).orElseThrow()));
        }
        if (!fits(operator.kind, value)) {
            throw rule.invalid(field + " needs " + needs(operator.kind) + ", was " + Fields.shown(value));
        }
        Operand operand = operator == Operator.StringMatches ? Wildcard.compile(value.asText()) : new Literal(value);
        return new Comparison(variable, operator, operand);
    }

    private static boolean fits(Kind kind, JsonNode value) {
        return switch (kind) {
            case STRING -> value.isTextual();
            case NUMERIC -> value.isNumber();
            case BOOLEAN, TYPE -> value.isBoolean();
            case TIMESTAMP -> timestamp(value).isPresent();
        };
    }

    private static String needs(Kind kind) {
        return switch (kind) {
            case STRING -> "a string";
            case NUMERIC -> "a number";
            case BOOLEAN, TYPE -> "true or false";
            case TIMESTAMP -> "an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\"";
        };
    }

    private static Set<String> fields() {
        Stream<String> plain = Arrays.stream(Operator.values()).map(Operator::name);
        Stream<String> paths = Arrays.stream(Operator.values()).filter(Operator::hasPathVariant)
                .map(operator -> operator.name() + "Path");
        return Set.copyOf(Stream.concat(Stream.of("Variable", "Next", "Comment", "And", "Or", "Not"),
                Stream.concat(plain, paths)).toList());
    }

    private static Set<String> nestedFields() {
        return FIELDS.stream().filter(name -> !name.equals("Next")).collect(Collectors.toSet());
    }
}
