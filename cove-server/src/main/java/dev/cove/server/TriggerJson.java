package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.HttpRoute;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Triggers and rules in OpenWhisk's JSON shapes (its {@code WhiskTrigger} and {@code WhiskRuleResponse}):
 * a PUT body to a spec, a stored trigger or rule to its JSON. A trigger's {@code schedule} is Cove's
 * ({@link ScheduleJson}).
 */
final class TriggerJson {
    private TriggerJson() {}

    /** The spec a PUT of a new trigger asks for. */
    static TriggerSpec parse(String name, ObjectNode body, Instant now) throws ApiError {
        try {
            return new TriggerSpec(name,
                    keyValues(body, "parameters").orElse(null),
                    keyValues(body, "annotations").orElse(null),
                    body.has("schedule") ? ScheduleJson.read(body.get("schedule"), now) : Optional.empty(),
                    topic(body), http(body));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /**
     * The spec a PUT over an existing trigger asks for: what the body leaves out keeps its value, as in
     * OpenWhisk; {@code "schedule": null} removes the schedule.
     */
    static TriggerSpec update(TriggerSpec old, ObjectNode body, Instant now) throws ApiError {
        try {
            return new TriggerSpec(old.name(),
                    keyValues(body, "parameters").orElseGet(old::parameters),
                    keyValues(body, "annotations").orElseGet(old::annotations),
                    body.has("schedule") ? ScheduleJson.read(body.get("schedule"), now) : old.schedule(),
                    body.has("topic") ? topic(body) : old.topic(),
                    body.has("http") ? http(body) : old.http());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** Cove's {@code "topic": NAME}: the topic whose every message fires the trigger; null or absent for none. */
    private static Optional<String> topic(ObjectNode body) {
        JsonNode topic = body.path("topic");
        if (topic.isMissingNode() || topic.isNull()) {
            return Optional.empty();
        }
        if (!topic.isTextual()) {
            throw new IllegalArgumentException(Messages.TOPIC_NOT_TEXT);
        }
        return Optional.of(topic.asText());
    }

    /** Cove's {@code "http": {"path", "methods", "function"}}: an HTTP trigger; null or absent for none. */
    private static Optional<HttpRoute> http(ObjectNode body) {
        JsonNode http = body.path("http");
        if (http.isMissingNode() || http.isNull()) {
            return Optional.empty();
        }
        if (!http.isObject() || !http.path("path").isTextual() || !http.path("function").isTextual()
                || !(http.path("methods").isMissingNode() || http.path("methods").isArray())) {
            throw new IllegalArgumentException(Messages.HTTP_ROUTE_SHAPE);
        }
        Set<String> methods = new TreeSet<>();
        http.path("methods").forEach(m -> methods.add(m.asText()));
        return Optional.of(new HttpRoute(http.path("path").asText(), methods, http.path("function").asText()));
    }

    /** OpenWhisk's {@code [{"key": …, "value": …}]} as an object; absent when the body has no such field. */
    private static Optional<ObjectNode> keyValues(ObjectNode body, String field) {
        JsonNode list = body.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return Optional.empty();
        }
        boolean parameters = field.equals("parameters");
        if (!list.isArray()) {
            throw new IllegalArgumentException(parameters ? Messages.PARAMETERS_NOT_A_LIST : Messages.ANNOTATIONS_NOT_A_LIST);
        }
        ObjectNode object = Exchange.JSON.createObjectNode();
        for (JsonNode entry : list) {
            String key = entry.path("key").asText("");
            if (key.isEmpty()) {
                throw new IllegalArgumentException(parameters ? Messages.PARAMETER_WITHOUT_KEY : Messages.ANNOTATION_WITHOUT_KEY);
            }
            JsonNode value = entry.path("value");
            object.set(key, value.isMissingNode() ? Exchange.JSON.nullNode() : value);
        }
        return Optional.of(object);
    }

    /**
     * The trigger as OpenWhisk shows it, without its rules, and with Cove's {@code schedule} when it has
     * one.
     */
    static ObjectNode render(Trigger trigger) {
        TriggerSpec spec = trigger.spec();
        ObjectNode node = Exchange.JSON.createObjectNode();
        node.put("namespace", trigger.namespace());
        node.put("name", trigger.name());
        node.put("version", trigger.semver());
        node.put("publish", false);
        node.set("parameters", keyValueList(spec.parameters()));
        node.set("annotations", keyValueList(spec.annotations()));
        node.putObject("limits");
        spec.schedule().ifPresent(schedule -> node.set("schedule", ScheduleJson.render(schedule)));
        spec.topic().ifPresent(topic -> node.put("topic", topic));
        spec.http().ifPresent(route -> {
            ObjectNode http = node.putObject("http").put("path", route.path()).put("function", route.function());
            route.methods().forEach(http.putArray("methods")::add);
        });
        node.put("updated", trigger.updated().toEpochMilli());
        return node;
    }

    /** A trigger's rules as OpenWhisk links them: {@code {"NS/RULE": {"action": {"name", "path"}, "status"}}}. */
    static ObjectNode rules(List<Rule> rules) {
        ObjectNode links = Exchange.JSON.createObjectNode();
        for (Rule rule : rules) {
            ObjectNode link = links.putObject(rule.namespace() + "/" + rule.name());
            linkTarget(link, rule);
            link.put("status", status(rule));
        }
        return links;
    }

    private static ArrayNode keyValueList(ObjectNode object) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        object.properties().forEach(e -> list.addObject().put("key", e.getKey()).set("value", e.getValue()));
        return list;
    }

    /** The spec a PUT of a new rule asks for: its trigger and its function ({@code action}). */
    static RuleSpec parseRule(String name, ObjectNode body, String caller) throws ApiError {
        if (body.hasNonNull("action") && body.hasNonNull("selector")) {
            throw ApiError.badRequest(Messages.RULE_ACTION_OR_SELECTOR);
        }
        if (!body.hasNonNull("trigger") || !body.hasNonNull("action") && !body.hasNonNull("selector")) {
            throw ApiError.badRequest(Messages.RULE_NEEDS_TRIGGER_AND_ACTION);
        }
        String trigger = reference(body.get("trigger"), "trigger", caller);
        RuleSpec spec = body.hasNonNull("selector") ? RuleSpec.selecting(name, trigger, selector(body.get("selector")))
                : new RuleSpec(name, trigger, reference(body.get("action"), "action", caller));
        return spec.withRetries(retries(body, 0));
    }

    /** Cove's {@code "retries"}: how many times a failed activation the rule started starts again. */
    private static int retries(ObjectNode body, int otherwise) throws ApiError {
        JsonNode retries = body.path("retries");
        if (retries.isMissingNode() || retries.isNull()) {
            return otherwise;
        }
        if (!retries.canConvertToInt() || !retries.isIntegralNumber()) {
            throw ApiError.badRequest(Messages.RETRIES_NOT_A_NUMBER);
        }
        try {
            return new RuleSpec("r", "t", "f").withRetries(retries.asInt()).retries();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** Cove's {@code "selector"}: the functions a rule invokes, chosen by their labels. */
    private static LabelSelector selector(JsonNode selector) throws ApiError {
        if (!selector.isTextual()) {
            throw ApiError.badRequest(Messages.SELECTOR_NOT_TEXT);
        }
        try {
            return LabelSelector.parse(selector.asText());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** The spec a PUT over an existing rule asks for: a trigger or action left out is kept. */
    static RuleSpec updateRule(RuleSpec old, ObjectNode body, String caller) throws ApiError {
        String trigger = body.hasNonNull("trigger") ? reference(body.get("trigger"), "trigger", caller) : old.trigger();
        if (body.hasNonNull("action") && body.hasNonNull("selector")) {
            throw ApiError.badRequest(Messages.RULE_ACTION_OR_SELECTOR);
        }
        int retries = retries(body, old.retries());
        if (body.hasNonNull("selector")) {
            return RuleSpec.selecting(old.name(), trigger, selector(body.get("selector"))).withRetries(retries);
        }
        if (body.hasNonNull("action")) {
            return new RuleSpec(old.name(), trigger, reference(body.get("action"), "action", caller)).withRetries(retries);
        }
        return new RuleSpec(old.name(), trigger, old.function(), old.selector(), retries);
    }

    /**
     * A name of the caller's namespace as OpenWhisk's clients write it: {@code NAME}, {@code /_/NAME},
     * {@code /NS/NAME} or {@code {"path": NS, "name": NAME}}, where {@code NS} is the caller's (another's is
     * a 403). {@code field} names it for the caller, and says what it names: a trigger, or a function.
     */
    static String reference(JsonNode value, String field, String caller) throws ApiError {
        String path;
        String name;
        if (value.isObject()) {
            path = value.path("path").asText("_");
            name = value.path("name").asText("");
        } else if (value.isTextual() && value.asText().startsWith("/")) {
            String[] parts = value.asText().substring(1).split("/", -1);
            path = parts[0];
            name = parts.length == 2 ? parts[1] : "";
        } else if (value.isTextual()) {
            path = "_";
            name = value.asText();
        } else {
            throw ApiError.badRequest(Messages.badReference(field, value.toString()));
        }
        if (!path.equals("_") && !path.equals(caller)) {
            throw new ApiError(403, Messages.notAuthorized(path));
        }
        try {
            FunctionSpec.requireName(field.equals("action") ? "function" : "trigger", name);
            return name;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Messages.badReference(field, value.toString()));
        }
    }

    /** The rule as OpenWhisk shows it, with its status. */
    static ObjectNode render(Rule rule) {
        ObjectNode node = Exchange.JSON.createObjectNode();
        node.put("namespace", rule.namespace());
        node.put("name", rule.name());
        node.put("version", rule.semver());
        node.put("publish", false);
        node.put("status", status(rule));
        node.set("trigger", qualified(rule.namespace(), rule.spec().trigger()));
        linkTarget(node, rule);
        if (rule.spec().retries() > 0) {
            node.put("retries", rule.spec().retries());
        }
        node.putArray("annotations");
        node.put("updated", rule.updated().toEpochMilli());
        return node;
    }

    /** A dead letter of a rule with retries, as {@code GET …/triggers/NAME/failures} lists it. */
    static ObjectNode render(TriggerFailure failure) {
        ObjectNode node = Exchange.JSON.createObjectNode();
        node.put("id", failure.id());
        node.put("rule", failure.namespace() + "/" + failure.rule());
        node.put("action", failure.namespace() + "/" + failure.function());
        node.put("eventId", failure.eventId());
        node.put("attempts", failure.attempts());
        node.put("error", failure.error());
        node.put("at", failure.at().toString());
        node.set("payload", failure.payload());
        return node;
    }

    /** What a rule invokes: OpenWhisk's {@code action}, or Cove's {@code selector}. */
    private static void linkTarget(ObjectNode node, Rule rule) {
        rule.spec().selector().ifPresentOrElse(selector -> node.put("selector", selector.text()),
                () -> node.set("action", qualified(rule.namespace(), rule.spec().function())));
    }

    private static String status(Rule rule) {
        return rule.active() ? "active" : "inactive";
    }

    /** OpenWhisk's fully qualified name, {@code {"path": NS, "name": NAME}}. */
    private static ObjectNode qualified(String namespace, String name) {
        return Exchange.JSON.createObjectNode().put("path", namespace).put("name", name);
    }
}
