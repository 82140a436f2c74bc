package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/namespaces/{ns}/applications}: deploy, list, get, delete. A PUT body is
 * {@code {"functions": [action, …], "workflow": {…}}}, each action as a PUT to {@code /actions} takes it
 * plus its {@code name}; it replaces the whole application (functions it no longer names are removed).
 */
final class Applications {
    private final Node platform;

    Applications(Node platform) {
        this.platform = platform;
    }

    void list(Exchange ex, String ns) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        platform.applications(ns).forEach(app -> list.add(summary(app)));
        ex.json(200, list);
    }

    void get(Exchange ex, String ns, String name) throws ApiError {
        ApplicationRevision app = platform.application(ns, name).orElseThrow(ApiError::notFound);
        ex.json(200, render(app));
    }

    void put(Exchange ex, String ns, String name, Buffer body) {
        try {
            ApplicationSpec spec = parse(name, Exchange.jsonObject(body));
            ex.blocking(() -> deploy(ns, spec), app -> ex.json(200, render(app)));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    void delete(Exchange ex, String ns, String name) {
        ex.blocking(() -> platform.deleteApplication(ns, name).orElseThrow(ApiError::notFound),
                removed -> ex.json(200, summary(removed)));
    }

    private ApplicationRevision deploy(String ns, ApplicationSpec spec) throws ApiError {
        try {
            return platform.deploy(ns, spec);
        } catch (InvalidFunctionException e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (ConflictException e) {
            throw new ApiError(409, e.getMessage());
        }
    }

    static ApplicationSpec parse(String name, ObjectNode body) throws ApiError {
        JsonNode functions = body.path("functions");
        if (!functions.isArray() || functions.isEmpty()) {
            throw ApiError.badRequest(Messages.FUNCTIONS_REQUIRED);
        }
        List<FunctionSpec> specs = new ArrayList<>();
        for (JsonNode f : functions) {
            String functionName = f.path("name").asText("");
            if (!f.isObject() || functionName.isEmpty()) {
                throw ApiError.badRequest(Messages.FUNCTION_WITHOUT_NAME);
            }
            try {
                FunctionSpec.requireName(functionName);
                specs.add(ActionJson.parse(functionName, (ObjectNode) f));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            } catch (ApiError e) {
                throw ApiError.badRequest(Messages.ofFunction(functionName, e.getMessage()));
            }
        }
        JsonNode workflow = body.path("workflow");
        if (!workflow.isMissingNode() && !workflow.isNull() && !workflow.isObject()) {
            throw ApiError.badRequest(Messages.WORKFLOW_NOT_AN_OBJECT);
        }
        try {
            return new ApplicationSpec(name, specs, workflow.isObject() ? Optional.of(workflow) : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static ObjectNode summary(ApplicationRevision app) {
        ObjectNode node = Exchange.JSON.createObjectNode();
        node.put("namespace", app.namespace());
        node.put("name", app.name());
        node.put("version", app.semver());
        node.put("updated", app.updated().toEpochMilli());
        ArrayNode names = node.putArray("functions");
        app.functionNames().forEach(names::add);
        node.put("workflow", app.workflow().isPresent());
        return node;
    }

    private static ObjectNode render(ApplicationRevision app) {
        ObjectNode node = summary(app);
        ArrayNode functions = node.putArray("functions");
        app.functions().forEach(f -> functions.add(ActionJson.render(f, false)));
        app.workflow().ifPresentOrElse(w -> node.set("workflow", w), () -> node.remove("workflow"));
        return node;
    }
}
