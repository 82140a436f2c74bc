package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.Admission;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFire;
import dev.cove.core.model.TriggerSpec;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/namespaces/{ns}/triggers}: create or update, list, get, delete, and fire ({@code POST}).
 * Every call of the node here reads or writes the store, so each runs off the event loop.
 */
final class Triggers {
    /** The header that gives a published message its event id. */
    static final String EVENT_ID_HEADER = "X-Event-Id";
    private static final int DEFAULT_LIMIT = 30;
    private static final int MAX_LIMIT = 200;

    private final Node platform;
    private final Clock clock;

    Triggers(Node platform, Clock clock) {
        this.platform = platform;
        this.clock = clock;
    }

    void list(Exchange ex, String ns) throws ApiError {
        int limit = ex.query().integer("limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
        int skip = ex.query().integer("skip", 0, 0, Integer.MAX_VALUE);
        ex.blocking(() -> platform.triggers(ns), all -> {
            ArrayNode list = Exchange.JSON.createArrayNode();
            all.stream().skip(skip).limit(limit == 0 ? MAX_LIMIT : limit).forEach(t -> list.add(withNextFire(t)));
            ex.json(200, list);
        });
    }

    void get(Exchange ex, String ns, String name) {
        ex.blocking(() -> described(platform.trigger(ns, name).orElseThrow(ApiError::notFound)),
                trigger -> ex.json(200, trigger));
    }

    void put(Exchange ex, String ns, String name, Buffer body) {
        try {
            boolean overwrite = ex.query().flag("overwrite", false);
            ObjectNode json = Exchange.jsonObject(body);
            ex.blocking(() -> {
                Optional<Trigger> existing = overwrite ? platform.trigger(ns, name) : Optional.empty();
                TriggerSpec spec = existing.isPresent() ? TriggerJson.update(existing.get().spec(), json, clock.instant())
                        : TriggerJson.parse(name, json, clock.instant());
                return described(ApiError.refusing(() -> platform.putTrigger(ns, spec, overwrite)));
            }, trigger -> ex.json(200, trigger));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /** Deletes the trigger and its schedule; its rules stay, as in OpenWhisk. */
    void delete(Exchange ex, String ns, String name) {
        ex.blocking(() -> TriggerJson.render(platform.deleteTrigger(ns, name).orElseThrow(ApiError::notFound)),
                removed -> ex.json(200, removed));
    }

    /**
     * Fires the trigger with the body as the payload: 202 with the trigger's activation id once each
     * active rule's invocation is stored, 204 when it has no active rule (nothing ran, nothing recorded),
     * 404 when there is no such trigger.
     */
    void fire(Exchange ex, String ns, String name, Buffer body) {
        try {
            ObjectNode payload = Exchange.jsonObject(body);
            ex.blocking(() -> platform.fire(ns, name, payload).join(), fire -> {
                switch (fire) {
                    case TriggerFire.NoSuchTrigger none -> ex.error(ApiError.notFound());
                    case TriggerFire.NoActiveRule none -> ex.send(204, null, Buffer.buffer());
                    case TriggerFire.Fired fired -> {
                        ex.header(Exchange.ACTIVATION_ID_HEADER, fired.activationId());
                        ex.json(202, Exchange.JSON.createObjectNode().put("activationId", fired.activationId()));
                    }
                }
            });
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /**
     * Publishes the body, a JSON object, on the namespace's topic: 202 with the message's event id (the
     * {@code X-Event-Id} header's, or a new one) and the activation of each trigger it fired, or, on NATS,
     * {@code queued}: its triggers fire once a node takes it from the stream. 503 when NATS did not take it.
     */
    void publish(Exchange ex, String ns, String topic, Buffer body) {
        try {
            ObjectNode message = Exchange.jsonObject(body);
            String given = ex.request.getHeader(EVENT_ID_HEADER);
            String eventId = given == null || given.isBlank() ? UUID.randomUUID().toString().replace("-", "") : given;
            FunctionSpec.requireName("topic", topic);
            ex.blocking(() -> ApiError.refusing(() -> platform.publish(ns, topic, message, eventId).join()), published -> {
                ObjectNode answer = Exchange.JSON.createObjectNode().put("eventId", published.eventId());
                if (published.queued()) {
                    answer.put("queued", true);
                } else {
                    published.fired().forEach(answer.putArray("fired")::add);
                }
                answer.put("duplicate", published.duplicate());
                ex.json(202, answer);
            });
        } catch (IllegalArgumentException e) {
            ex.error(ApiError.badRequest(e.getMessage()));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /** The dead letters of the trigger's rules with retries, newest first. */
    void failures(Exchange ex, String ns, String name) {
        ex.blocking(() -> {
            platform.trigger(ns, name).orElseThrow(ApiError::notFound);
            ArrayNode list = Exchange.JSON.createArrayNode();
            platform.failures(ns, name).forEach(f -> list.add(TriggerJson.render(f)));
            return list;
        }, list -> ex.json(200, list));
    }

    /**
     * Delivers a dead letter again: 202 with the new activation's id, 429 when the function refuses work
     * now (the dead letter stays), 404 when there is no such dead letter or its function is gone.
     */
    void redeliver(Exchange ex, String ns, String name, String id) {
        ex.blocking(() -> ApiError.refusing(() -> platform.redeliver(ns, name, id).join()), admission -> {
            switch (admission) {
                case Admission.Accepted accepted -> ex.json(202,
                        Exchange.JSON.createObjectNode().put("activationId", accepted.activationId()));
                case Admission.Rejected rejected -> ex.error(new ApiError(429, rejected.message()));
            }
        });
    }

    /** The trigger with its rules and, Cove's, when its schedule fires next. */
    private ObjectNode described(Trigger trigger) {
        ObjectNode node = withNextFire(trigger);
        node.set("rules", TriggerJson.rules(platform.rulesOf(trigger.namespace(), trigger.name())));
        return node;
    }

    private ObjectNode withNextFire(Trigger trigger) {
        ObjectNode node = TriggerJson.render(trigger);
        platform.nextFire(trigger.namespace(), trigger.name()).ifPresent(at -> node.put("nextFire", at.toString()));
        return node;
    }
}
