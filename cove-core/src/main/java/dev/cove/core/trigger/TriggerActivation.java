package dev.cove.core.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Rule;
import dev.cove.core.model.Trigger;
import java.util.List;

/**
 * One fire of a trigger, as OpenWhisk records it: an activation of the trigger whose result is the
 * payload it was fired with (without the trigger's parameters, which its rules' functions also get), and whose logs are one JSON line per rule, saying which activation the rule started or
 * why it started none.
 */
final class TriggerActivation {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The field of a rule's line that says its function refused work for now. */
    static final String REFUSED = "refused";

    private final Trigger trigger;
    private final String id;
    private final ObjectNode payload;
    private final long startMillis;

    TriggerActivation(Trigger trigger, String id, ObjectNode payload, long startMillis) {
        this.trigger = trigger;
        this.id = id;
        this.payload = Triggers.payload(payload);
        this.startMillis = startMillis;
    }

    String id() {
        return id;
    }

    ObjectNode ruleStarted(Rule rule, String function, String activationId) {
        return ruleLine(rule, function).put("statusCode", 0).put("success", true).put("activationId", activationId);
    }

    /** A rule that started no activation of {@code function} (empty when its selector matched none). */
    ObjectNode ruleFailed(Rule rule, String function, String error) {
        return ruleLine(rule, function).put("statusCode", 1).put("success", false).put("error", error);
    }

    /** A rule whose function refused work just now (its queue full, or the node stopping): it may take it later. */
    ObjectNode ruleRefused(Rule rule, String function, String error) {
        return ruleFailed(rule, function, error).put(REFUSED, true);
    }

    private static ObjectNode ruleLine(Rule rule, String function) {
        ObjectNode line = JSON.createObjectNode();
        line.put("rule", rule.namespace() + "/" + rule.name());
        if (!function.isEmpty()) {
            line.put("action", rule.namespace() + "/" + function);
        }
        rule.spec().selector().ifPresent(selector -> line.put("selector", selector.text()));
        return line;
    }

    /** The trigger's activation, a success whatever its rules did (as OpenWhisk's). */
    ActivationRecord record(List<ObjectNode> rules, long endMillis) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("namespace", trigger.namespace());
        doc.put("name", trigger.name());
        doc.put("version", trigger.semver());
        doc.put("subject", trigger.namespace());
        doc.put("activationId", id);
        doc.put("start", startMillis);
        doc.put("end", endMillis);
        doc.put("duration", endMillis - startMillis);
        doc.put("statusCode", 0);
        ObjectNode response = doc.putObject("response");
        response.put("status", "success");
        response.put("statusCode", 0);
        response.put("success", true);
        response.set("result", payload);
        ArrayNode logs = doc.putArray("logs");
        rules.forEach(line -> logs.add(line.toString()));
        ArrayNode annotations = doc.putArray("annotations");
        annotations.addObject().put("key", "kind").put("value", "trigger");
        doc.put("publish", false);
        try {
            return new ActivationRecord(id, trigger.namespace(), trigger.name(), startMillis, endMillis, 0,
                    JSON.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of objects always encodes", e);
        }
    }
}
