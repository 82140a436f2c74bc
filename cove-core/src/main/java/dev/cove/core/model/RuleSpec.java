package dev.cove.core.model;

/**
 * A rule as its author gives it: each fire of {@code trigger} invokes {@code function}, both of the
 * rule's namespace.
 */
public record RuleSpec(String name, String trigger, String function) {
    public RuleSpec {
        FunctionSpec.requireName("rule", name);
        FunctionSpec.requireName("trigger", trigger);
        FunctionSpec.requireName(function);
    }
}
