package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * {@code /api/v1/namespaces/{ns}/rules}: create or update, list, get, delete, and activate or deactivate
 * ({@code POST {"status": "active"|"inactive"}}). Every call of the node here reads or writes the store,
 * so each runs off the event loop.
 */
final class Rules {
    private static final int DEFAULT_LIMIT = 30;
    private static final int MAX_LIMIT = 200;

    private final Node platform;

    Rules(Node platform) {
        this.platform = platform;
    }

    void list(Exchange ex, String ns) throws ApiError {
        int limit = ex.query().integer("limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
        int skip = ex.query().integer("skip", 0, 0, Integer.MAX_VALUE);
        ex.blocking(() -> platform.rules(ns), all -> {
            ArrayNode list = Exchange.JSON.createArrayNode();
            all.stream().skip(skip).limit(limit == 0 ? MAX_LIMIT : limit).forEach(r -> list.add(TriggerJson.render(r)));
            ex.json(200, list);
        });
    }

    void get(Exchange ex, String ns, String name) {
        ex.blocking(() -> TriggerJson.render(platform.rule(ns, name).orElseThrow(ApiError::notFound)),
                rule -> ex.json(200, rule));
    }

    /** Stores the rule, active; its trigger and its function must exist (404 names the one that doesn't). */
    void put(Exchange ex, String ns, String name, Buffer body) {
        try {
            boolean overwrite = ex.query().flag("overwrite", false);
            ObjectNode json = Exchange.jsonObject(body);
            ex.blocking(() -> {
                Optional<Rule> existing = overwrite ? platform.rule(ns, name) : Optional.empty();
                RuleSpec spec = existing.isPresent() ? TriggerJson.updateRule(existing.get().spec(), json, ns)
                        : TriggerJson.parseRule(name, json, ns);
                ObjectNode rule = TriggerJson.render(ApiError.refusing(() -> platform.putRule(ns, spec, overwrite)));
                spec.selector().filter(selector -> platform.matching(ns, selector).isEmpty())
                        .ifPresent(selector -> rule.put("warning", Messages.selectorMatchesNothingYet(selector.text())));
                return rule;
            }, rule -> ex.json(200, rule));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /** Answers with the rule in its new state (OpenWhisk answers with no body). */
    void setStatus(Exchange ex, String ns, String name, Buffer body) {
        try {
            boolean active = status(Exchange.jsonObject(body));
            ex.blocking(() -> TriggerJson.render(platform.setRuleActive(ns, name, active).orElseThrow(ApiError::notFound)),
                    rule -> ex.json(200, rule));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    private static boolean status(ObjectNode body) throws ApiError {
        JsonNode status = body.path("status");
        return switch (status.asText("")) {
            case "active" -> true;
            case "inactive" -> false;
            default -> throw ApiError.badRequest(Messages.badRuleStatus(status.isTextual() ? status.asText()
                    : status.toString()));
        };
    }

    void delete(Exchange ex, String ns, String name) {
        ex.blocking(() -> TriggerJson.render(platform.deleteRule(ns, name).orElseThrow(ApiError::notFound)),
                removed -> ex.json(200, removed));
    }
}
