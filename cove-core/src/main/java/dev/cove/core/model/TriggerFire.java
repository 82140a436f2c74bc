package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** How a fire of a trigger went. */
public sealed interface TriggerFire {
    /** No trigger of that name. */
    record NoSuchTrigger() implements TriggerFire {}

    /** The trigger has no active rule: nothing ran and nothing was recorded (OpenWhisk answers 204). */
    record NoActiveRule() implements TriggerFire {}

    /**
     * The trigger's activation, recorded, with what each rule did: {@code rule}, {@code action},
     * {@code success}, {@code statusCode}, and {@code activationId} or {@code error}.
     */
    record Fired(String activationId, List<ObjectNode> rules) implements TriggerFire {
        public Fired {
            rules = rules.stream().map(ObjectNode::deepCopy).toList();
        }
    }
}
