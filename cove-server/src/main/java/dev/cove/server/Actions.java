package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionLoad;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.InvalidFunctionException;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/namespaces/{ns}/actions}: deploy, list, get, delete. */
final class Actions {
    private static final int DEFAULT_LIMIT = 30;
    private static final int MAX_LIMIT = 200;

    private final Node platform;

    Actions(Node platform) {
        this.platform = platform;
    }

    void list(Exchange ex, String ns) throws ApiError {
        int limit = ex.query().integer("limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
        int skip = ex.query().integer("skip", 0, 0, Integer.MAX_VALUE);
        List<FunctionRevision> all = platform.functions(ns);
        ArrayNode list = Exchange.JSON.createArrayNode();
        all.stream().skip(skip).limit(limit == 0 ? MAX_LIMIT : limit).forEach(f -> list.add(ActionJson.render(f, false)));
        ex.json(200, list);
    }

    void get(Exchange ex, String ns, String name) throws ApiError {
        boolean withCode = ex.query().flag("code", true);
        FunctionRevision revision = platform.function(ns, name).orElseThrow(ApiError::notFound);
        ex.blocking(() -> {
            ObjectNode node = rendered(revision, withCode);
            InstanceCounts instances = platform.instances(ns, name);
            node.putObject("instances").put("starting", instances.starting()).put("busy", instances.busy())
                    .put("idle", instances.idle()).put("paused", instances.paused()).put("waiting", instances.waiting());
            return node;
        }, node -> ex.json(200, node));
    }

    /** What each function of the namespace is doing on this node: its instances, activations and cold starts. */
    void load(Exchange ex, String ns) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        for (FunctionLoad load : platform.load(ns)) {
            InstanceCounts i = load.instances();
            list.addObject().put("name", load.name()).put("starting", i.starting()).put("busy", i.busy())
                    .put("idle", i.idle()).put("paused", i.paused()).put("waiting", i.waiting()).put("activations", load.activations())
                    .put("coldStarts", load.coldStarts());
        }
        ex.json(200, list);
    }

    void put(Exchange ex, String ns, String name, Buffer body) {
        try {
            boolean overwrite = ex.query().flag("overwrite", false);
            ObjectNode json = Exchange.jsonObject(body);
            Optional<FunctionRevision> existing = platform.function(ns, name);
            if (existing.isPresent() && !overwrite) {
                throw new ApiError(409, Messages.EXISTS);
            }
            FunctionSpec spec = existing.isPresent() ? ActionJson.update(existing.get().spec(), json)
                    : ActionJson.parse(name, json);
            List<String> changes = existing.map(before -> spec.changesFrom(before.spec())).orElse(List.of());
            ex.blocking(() -> {
                FunctionRevision revision = deploy(ns, spec);
                return withChanges(rendered(revision, false), changes);
            }, node -> ex.json(200, node));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /** The action with the tier it runs in now, when it has one; a Java function's may be read from disk once. */
    private ObjectNode rendered(FunctionRevision revision, boolean withCode) {
        return platform.tierOf(revision).map(tier -> ActionJson.render(revision, withCode, tier))
                .orElseGet(() -> ActionJson.render(revision, withCode));
    }

    /**
     * Cove's extension to the answer of a redeployment: {@code "changes": ["hello was nodejs:20, is now
     * python:3"]}, what it changed of the function's runtime, code form and entry point, when anything.
     */
    private static ObjectNode withChanges(ObjectNode answer, List<String> changes) {
        if (!changes.isEmpty()) {
            changes.forEach(answer.putArray("changes")::add);
        }
        return answer;
    }

    private FunctionRevision deploy(String ns, FunctionSpec spec) throws ApiError {
        try {
            return platform.deploy(ns, spec);
        } catch (InvalidFunctionException e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (ConflictException e) {
            throw new ApiError(409, e.getMessage());
        }
    }

    void delete(Exchange ex, String ns, String name) {
        ex.blocking(() -> platform.delete(ns, name).orElseThrow(ApiError::notFound),
                removed -> ex.json(200, ActionJson.render(removed, false)));
    }
}
