package dev.cove.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A rule as its author gives it: each fire of {@code trigger} invokes {@code function}, or every function
 * whose labels {@code selector} matches when the trigger fires (so that functions deployed later join),
 * all of the rule's namespace.
 *
 * @param function the one function it invokes; empty when a selector chooses them
 * @param retries how many times an activation it started that failed is started again, with backoff; past
 *     them, the failure is kept as a dead letter ({@link TriggerFailure}), listed and delivered again on
 *     request. 0 (the default, as OpenWhisk) keeps nothing.
 */
public record RuleSpec(String name, String trigger, String function, Optional<LabelSelector> selector, int retries) {
    /** The most retries a rule may ask for. */
    public static final int MAX_RETRIES = 10;

    public RuleSpec {
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException(Messages.badRetries(retries, MAX_RETRIES));
        }
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

    /** A rule without retries. */
    public RuleSpec(String name, String trigger, String function, Optional<LabelSelector> selector) {
        this(name, trigger, function, selector, 0);
    }

    /** A rule that invokes one function. */
    public RuleSpec(String name, String trigger, String function) {
        this(name, trigger, function, Optional.empty());
    }

    /** A rule that invokes the functions the selector matches. */
    public static RuleSpec selecting(String name, String trigger, LabelSelector selector) {
        return new RuleSpec(name, trigger, "", Optional.of(selector));
    }

    public RuleSpec withRetries(int newRetries) {
        return new RuleSpec(name, trigger, function, selector, newRetries);
    }
}
