package dev.cove.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A choice of functions by their labels, as Kubernetes writes one (and Kubeless'
 * {@code --function-selector}): requirements separated by commas, all of which a function's labels
 * must meet: {@code key=value} (or {@code ==}), {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key} (has it) and {@code !key} (has it not).
 *
 * @param text the selector as written
 */
public record LabelSelector(String text, List<Requirement> requirements) {

    /** How a requirement tests a label. */
    public enum Operator { IN, NOT_IN, EXISTS, NOT_EXISTS }

    /** One requirement: the label {@code key}, tested by {@code operator} against {@code values}. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Labels.requireKey(key);
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value); // as Kubernetes: no label is not in
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    private static final Pattern SET = Pattern.compile("\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
    private static final Pattern COMPARE = Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
    private static final Pattern HAS = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

    public LabelSelector {
        Objects.requireNonNull(text, "text");
        requirements = List.copyOf(requirements);
        if (requirements.isEmpty()) {
            throw new IllegalArgumentException(Messages.emptySelector(text));
        }
    }

    /**
     * Reads a selector.
     *
     * @throws IllegalArgumentException naming the part that does not read
     */
    public static LabelSelector parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(Messages.emptySelector(text));
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            requirements.add(requirement(text, part));
        }
        return new LabelSelector(text.strip(), requirements);
    }

    private static Requirement requirement(String text, String part) {
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = new TreeSet<>();
            for (String v : set.group(3).split(",")) {
                if (!v.isBlank()) {
                    values.add(Labels.requireValue(v.strip()));
                }
            }
            return new Requirement(set.group(1), set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        Matcher compare = COMPARE.matcher(part);
        if (compare.matches()) {
            String value = Labels.requireValue(compare.group(3));
            return new Requirement(compare.group(1), compare.group(2).equals("!=") ? Operator.NOT_IN : Operator.IN,
                    Set.of(value));
        }
        Matcher has = HAS.matcher(part);
        if (has.matches()) {
            return new Requirement(has.group(2), has.group(1).isEmpty() ? Operator.EXISTS : Operator.NOT_EXISTS, Set.of());
        }
        throw new IllegalArgumentException(Messages.badSelector(text, part.strip()));
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Whether labels meet every requirement. */
    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    @Override
    public String toString() {
        return text;
    }
}
