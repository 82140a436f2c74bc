package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Code;
import dev.cove.core.model.Dependencies;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import dev.cove.core.model.Tier;
import dev.cove.core.model.TierVerdict;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Actions in OpenWhisk's JSON shape: a PUT body to a {@link FunctionSpec}, a revision to its JSON. */
final class ActionJson {
    private ActionJson() {}

    /** The spec a PUT of a new action asks for: what the body leaves out takes the defaults. */
    static FunctionSpec parse(String name, ObjectNode body) throws ApiError {
        JsonNode exec = body.path("exec");
        if (exec.isMissingNode()) {
            throw ApiError.badRequest(Messages.EXEC_REQUIRED);
        }
        try {
            Exec given = Exec.read(exec);
            ObjectNode parameters = Exchange.JSON.createObjectNode();
            Map<String, String> env = new LinkedHashMap<>();
            if (body.has("parameters")) {
                readParameters(body.path("parameters"), parameters, env);
            }
            Limits limits = limits(body.path("limits"), Limits.DEFAULT);
            ArrayNode annotations = annotations(body).orElseGet(Exchange.JSON::createArrayNode);
            withoutApiKeyUnlessAsked(annotations);
            return given.spec(name, parameters, env, limits, annotations).withLabels(labels(body).orElse(Map.of()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** The spec a PUT over an existing action asks for: what the body leaves out keeps its value, as in OpenWhisk. */
    static FunctionSpec update(FunctionSpec old, ObjectNode body) throws ApiError {
        JsonNode exec = body.path("exec");
        try {
            Exec given = exec.isMissingNode() ? Exec.of(old) : Exec.read(exec);
            ObjectNode parameters = old.parameters();
            Map<String, String> env = new LinkedHashMap<>(old.env());
            if (body.has("parameters")) {
                parameters = Exchange.JSON.createObjectNode();
                env.clear();
                readParameters(body.path("parameters"), parameters, env);
            }
            Limits limits = limits(body.path("limits"), old.limits());
            return given.spec(old.name(), parameters, env, limits, annotations(body).orElseGet(old::annotations))
                    .withLabels(labels(body).orElseGet(old::labels));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** What {@code exec} says: the runtime, the code, its entry point, (Java's) tier and (node's, python's) dependencies. */
    private record Exec(Kind kind, Code code, String main, Tier tier, Dependencies dependencies) {
        static Exec of(FunctionSpec spec) {
            return new Exec(spec.kind(), spec.code(), spec.main(), spec.tier(), spec.dependencies());
        }

        static Exec read(JsonNode exec) throws ApiError {
            Kind kind = ActionJson.kind(exec);
            Code code = kind == Kind.SEQUENCE ? components(exec) : ActionJson.code(exec);
            String main = exec.path("main").asText("main");
            return new Exec(kind, code, main.isBlank() ? "main" : main, ActionJson.tier(exec),
                    ActionJson.dependencies(exec));
        }

        FunctionSpec spec(String name, ObjectNode parameters, Map<String, String> env, Limits limits,
                ArrayNode annotations) {
            return new FunctionSpec(name, kind, code, main, parameters, env, limits, annotations, tier, dependencies);
        }
    }

    /** Cove's {@code "labels": {"key": "value", …}}, which rules' selectors choose functions by. */
    private static Optional<Map<String, String>> labels(ObjectNode body) {
        JsonNode labels = body.path("labels");
        if (labels.isMissingNode() || labels.isNull()) {
            return Optional.empty();
        }
        if (!labels.isObject()) {
            throw new IllegalArgumentException(Messages.LABELS_NOT_AN_OBJECT);
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (var label : labels.properties()) {
            if (!label.getValue().isTextual()) {
                throw new IllegalArgumentException(Messages.LABELS_NOT_AN_OBJECT);
            }
            given.put(label.getKey(), label.getValue().asText());
        }
        return Optional.of(given);
    }

    private static Optional<ArrayNode> annotations(ObjectNode body) {
        JsonNode annotations = body.path("annotations");
        return annotations.isArray() ? Optional.of((ArrayNode) annotations) : Optional.empty();
    }

    private static Kind kind(JsonNode exec) throws ApiError {
        String kind = exec.path("kind").asText("");
        if (kind.equals("blackbox")) {
            throw ApiError.badRequest(Messages.kindNotYetSupported(kind));
        }
        return Kind.parse(kind).orElseThrow(() -> ApiError.badRequest(Messages.unknownKind(kind, Kind.spellings())));
    }

    /** As OpenWhisk creates an action: {@code provide-api-key} is false unless the request gave it. */
    private static void withoutApiKeyUnlessAsked(ArrayNode annotations) {
        for (JsonNode annotation : annotations) {
            if (annotation.path("key").asText().equals(FunctionSpec.PROVIDE_API_KEY)) {
                return;
            }
        }
        annotations.addObject().put("key", FunctionSpec.PROVIDE_API_KEY).put("value", false);
    }

    /** {@code exec.tier}: where a Java function asks to run; {@code auto} when left out. */
    private static Tier tier(JsonNode exec) throws ApiError {
        JsonNode value = exec.path("tier");
        if (value.isMissingNode() || value.isNull()) {
            return Tier.AUTO;
        }
        try {
            return Tier.parse(value.asText(value.toString()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Messages.in("exec", e.getMessage()));
        }
    }

    /** {@code exec.dependencies} (Cove's): a package.json's or requirements.txt's text; none when left out. */
    private static Dependencies dependencies(JsonNode exec) throws ApiError {
        JsonNode value = exec.path("dependencies");
        if (value.isMissingNode() || value.isNull()) {
            return Dependencies.NONE;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(Messages.DEPENDENCIES_NOT_TEXT);
        }
        return new Dependencies(value.asText());
    }

    /** A sequence's code: its components' names, {@code /namespace/name} or plain, as a JSON list. */
    private static Code components(JsonNode exec) throws ApiError {
        JsonNode components = exec.path("components");
        if (!components.isArray() || components.isEmpty()) {
            throw ApiError.badRequest(Messages.COMPONENTS_REQUIRED);
        }
        for (JsonNode c : components) {
            if (!c.isTextual()) {
                throw ApiError.badRequest(Messages.componentNotAName(c.toString()));
            }
        }
        return Code.source(components.toString());
    }

    private static Code code(JsonNode exec) throws ApiError {
        JsonNode code = exec.path("code");
        if (!code.isTextual()) {
            throw ApiError.badRequest(Messages.CODE_REQUIRED);
        }
        if (!exec.path("binary").asBoolean(false)) {
            return Code.source(code.asText());
        }
        try {
            return Code.archive(Base64.getMimeDecoder().decode(code.asText()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Messages.binaryNotBase64(e.getMessage()));
        }
    }

    private static void readParameters(JsonNode list, ObjectNode parameters, Map<String, String> env)
            throws ApiError {
        if (!list.isArray()) {
            throw ApiError.badRequest(Messages.PARAMETERS_NOT_A_LIST);
        }
        for (JsonNode p : list) {
            String key = p.path("key").asText("");
            if (key.isEmpty()) {
                throw ApiError.badRequest(Messages.PARAMETER_WITHOUT_KEY);
            }
            JsonNode value = p.path("value");
            if (p.path("init").asBoolean(false)) {
                env.put(key, value.isTextual() ? value.asText() : value.toString());
            } else {
                parameters.set(key, value.isMissingNode() ? Exchange.JSON.nullNode() : value);
            }
        }
    }

    private static Limits limits(JsonNode node, Limits base) throws ApiError {
        if (!node.isMissingNode() && !node.isObject()) {
            throw ApiError.badRequest(Messages.LIMITS_NOT_AN_OBJECT);
        }
        return new Limits(
                Duration.ofMillis(integer(node, "timeout", base.timeout().toMillis())),
                (int) integer(node, "memory", base.memoryMb()),
                (int) integer(node, "concurrency", base.concurrency()),
                (int) integer(node, "logs", base.logsMb()),
                (int) integer(node, "maxInstances", base.maxInstances()),
                network(node, base.network()),
                (int) integer(node, "minInstances", base.minInstances()),
                Duration.ofMillis(integer(node, "idleTimeout", base.idleTimeout().toMillis())),
                bool(node, "debug", base.debug()));
    }

    private static boolean bool(JsonNode limits, String field, boolean fallback) throws ApiError {
        JsonNode value = limits.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest(Messages.limitNotBoolean(field, value.toString()));
        }
        return value.booleanValue();
    }

    private static Network network(JsonNode limits, Network fallback) throws ApiError {
        JsonNode value = limits.path("network");
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        try {
            return Network.parse(value.isTextual() ? value.asText() : value.toString());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Messages.in("limits", e.getMessage()));
        }
    }

    private static long integer(JsonNode limits, String field, long fallback) throws ApiError {
        JsonNode value = limits.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw ApiError.badRequest(Messages.limitNotWhole(field, value.toString()));
        }
        return value.asLong();
    }

    /** The action as OpenWhisk shows it; {@code withCode} false leaves the code out. */
    static ObjectNode render(FunctionRevision revision, boolean withCode) {
        return withDates(described(revision, withCode), revision);
    }

    /**
     * The same, with the tier a Java function runs in now (Cove's extension): {@code "tier": {"runs":
     * "process", "reason": …}}.
     */
    static ObjectNode render(FunctionRevision revision, boolean withCode, TierVerdict tier) {
        ObjectNode node = described(revision, withCode);
        ObjectNode runs = node.putObject("tier").put("runs", tier.tier().wire());
        tier.reason().ifPresent(why -> runs.put("reason", why));
        return withDates(node, revision);
    }

    private static ObjectNode described(FunctionRevision revision, boolean withCode) {
        FunctionSpec spec = revision.spec();
        ObjectNode node = Exchange.JSON.createObjectNode();
        node.put("namespace", revision.namespace());
        node.put("name", revision.name());
        node.put("version", revision.semver());
        node.put("application", revision.application());
        ObjectNode exec = node.putObject("exec");
        exec.put("kind", spec.kind().kindName());
        if (spec.kind() == Kind.SEQUENCE) {
            ArrayNode components = exec.putArray("components");
            spec.sequenceComponents().forEach(c -> components.add("/" + revision.namespace() + "/" + c));
        } else if (withCode) {
            exec.put("code", spec.code().binary() ? Base64.getEncoder().encodeToString(spec.code().bytes())
                    : spec.code().text());
        }
        exec.put("main", spec.main());
        exec.put("binary", spec.code().binary());
        if (spec.kind() == Kind.JAVA) {
            exec.put("tier", spec.tier().wire());
        }
        if (!spec.dependencies().none()) {
            exec.put("dependencies", spec.dependencies().text());
        }
        ArrayNode parameters = node.putArray("parameters");
        spec.parameters().properties().forEach(e -> parameters.addObject().put("key", e.getKey()).set("value", e.getValue()));
        ObjectNode env = node.putObject("env");
        spec.env().forEach(env::put);
        Limits l = spec.limits();
        node.putObject("limits").put("timeout", l.timeout().toMillis()).put("memory", l.memoryMb())
                .put("concurrency", l.concurrency()).put("logs", l.logsMb()).put("maxInstances", l.maxInstances())
                .put("network", l.network().wire()).put("minInstances", l.minInstances())
                .put("idleTimeout", l.idleTimeout().toMillis()).put("debug", l.debug());
        if (!spec.labels().isEmpty()) {
            ObjectNode labels = node.putObject("labels");
            spec.labels().forEach(labels::put);
        }
        ArrayNode annotations = node.putArray("annotations");
        annotations.addObject().put("key", "exec").put("value", spec.kind().family());
        spec.annotations().forEach(a -> {
            if (!"exec".equals(a.path("key").asText())) {
                annotations.add(a);
            }
        });
        return node;
    }

    private static ObjectNode withDates(ObjectNode node, FunctionRevision revision) {
        node.put("publish", false);
        node.put("updated", revision.updated().toEpochMilli());
        return node;
    }
}
