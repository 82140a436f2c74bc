package dev.cove.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A rule as its author gives it: each fire of {@code trigger} invokes {@code function}, or every function
 * whose labels {@code selector} matches when the trigger fires (so that functions deployed later join),
 * all of the rule's namespace.
 *
 * @param function the one function it invokes; empty when a selector chooses them
 */
public record RuleSpec(String name, String trigger, String function, Optional<LabelSelector> selector) {
    public RuleSpec {
        FunctionSpec.requireName("rule", name);
        FunctionSpec.requireName("trigger", trigger);
        Objects.requireNonNull(selector, "selector");
        if (selector.isPresent() != function.isEmpty()) {
            throw new IllegalArgumentException(Messages.ruleTargets(name));
        }
        if (!function.isEmpty()) {
            FunctionSpec.requireName(function);
        }
    }

    /** A rule that invokes one function. */
    public RuleSpec(String name, String trigger, String function) {
        this(name, trigger, function, Optional.empty());
    }

    /** A rule that invokes the functions the selector matches. */
    public static RuleSpec selecting(String name, String trigger, LabelSelector selector) {
        return new RuleSpec(name, trigger, "", Optional.of(selector));
    }
}
