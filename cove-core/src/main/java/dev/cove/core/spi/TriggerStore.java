package dev.cove.core.spi;

import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The part of the {@link Store} that keeps triggers, rules, when each schedule last fired, and the
 * dead letters of rules with retries.
 *
 * <p>Writes are durable when the call returns. Calls block on I/O; keep them off event-loop threads.
 */
public interface TriggerStore {

    /** Stores a new version of the trigger: 1 when it is new, else the current version plus one. */
    Trigger putTrigger(String namespace, TriggerSpec spec, Instant updated);

    Optional<Trigger> trigger(String namespace, String name);

    /** Every trigger of every namespace, ordered by namespace and name. */
    List<Trigger> triggers();

    /** Removes the trigger, and when its schedule last fired; its rules stay. Answers what was removed. */
    Optional<Trigger> deleteTrigger(String namespace, String name);

    /** Stores a new version of the rule: 1 when it is new, else the current version plus one. */
    Rule putRule(String namespace, RuleSpec spec, boolean active, Instant updated);

    Optional<Rule> rule(String namespace, String name);

    /** Every rule of every namespace, ordered by namespace and name. */
    List<Rule> rules();

    Optional<Rule> deleteRule(String namespace, String name);

    /** The time the trigger's schedule was last due and fired (or skipped), if it has been. */
    Optional<Instant> lastFire(String namespace, String trigger);

    /** Keeps the time the trigger's schedule was due at and fired; a trigger that does not exist keeps none. */
    void putLastFire(String namespace, String trigger, Instant due);

    /** Keeps a dead letter, replacing one of the same id. */
    void putFailure(TriggerFailure failure);

    /** The trigger's dead letters, newest first. */
    List<TriggerFailure> failures(String namespace, String trigger);

    /** Removes a dead letter (delivered again, or dropped); answers what was removed. */
    Optional<TriggerFailure> deleteFailure(String namespace, String id);
}
