package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Code;
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

    /**
     * The spec a PUT asks for. Fields the body leaves out keep their values from {@code existing} (as
     * OpenWhisk's update does), else take the defaults.
     */
    static FunctionSpec parse(String name, ObjectNode body, Optional<FunctionRevision> existing) throws ApiError {
        Optional<FunctionSpec> old = existing.map(FunctionRevision::spec);
        JsonNode exec = body.path("exec");
        if (exec.isMissingNode() && old.isEmpty()) {
            throw ApiError.badRequest("exec is required: {\"kind\": …, \"code\": …}");
        }
        try {
            Kind kind = exec.isMissingNode() ? old.get().kind() : kind(exec);
            Code code = exec.isMissingNode() ? old.get().code() : kind == Kind.SEQUENCE ? components(exec) : code(exec);
            String main = exec.isMissingNode() ? old.get().main() : exec.path("main").asText("main");
            Tier tier = exec.isMissingNode() ? old.get().tier() : tier(exec);
            if (main.isBlank()) {
                main = "main";
            }
            ObjectNode parameters = Exchange.JSON.createObjectNode();
            Map<String, String> env = new LinkedHashMap<>();
            if (body.has("parameters")) {
                readParameters(body.path("parameters"), parameters, env);
            } else if (old.isPresent()) {
                parameters = old.get().parameters();
                env.putAll(old.get().env());
            }
            Limits limits = limits(body.path("limits"), old.map(FunctionSpec::limits).orElse(Limits.DEFAULT));
            ArrayNode annotations = body.path("annotations").isArray() ? (ArrayNode) body.path("annotations")
                    : old.map(FunctionSpec::annotations).orElse(Exchange.JSON.createArrayNode());
            if (old.isEmpty()) {
                withoutApiKeyUnlessAsked(annotations);
            }
            return new FunctionSpec(name, kind, code, main, parameters, env, limits, annotations, tier);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Kind kind(JsonNode exec) throws ApiError {
        String kind = exec.path("kind").asText("");
        if (kind.equals("blackbox")) {
            throw ApiError.badRequest("The kind '" + kind + "' is not supported by Cove yet.");
        }
        return Kind.parse(kind).orElseThrow(() -> ApiError.badRequest("The specified runtime '" + kind
                + "' is not supported by this platform. Valid values are: '" + String.join("', '", Kind.spellings())
                + "'."));
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
            throw ApiError.badRequest("exec." + e.getMessage());
        }
    }

    /** A sequence's code: its components' names, {@code /namespace/name} or plain, as a JSON list. */
    private static Code components(JsonNode exec) throws ApiError {
        JsonNode components = exec.path("components");
        if (!components.isArray() || components.isEmpty()) {
            throw ApiError.badRequest("exec.components of a sequence must be a list of one or more action names");
        }
        for (JsonNode c : components) {
            if (!c.isTextual()) {
                throw ApiError.badRequest("exec.components must hold action names, was " + c);
            }
        }
        return Code.source(components.toString());
    }

    private static Code code(JsonNode exec) throws ApiError {
        JsonNode code = exec.path("code");
        if (!code.isTextual()) {
            throw ApiError.badRequest("exec.code is required and must be a string");
        }
        if (!exec.path("binary").asBoolean(false)) {
            return Code.source(code.asText());
        }
        try {
            return Code.archive(Base64.getMimeDecoder().decode(code.asText()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("exec.code of a binary action must be base64: " + e.getMessage());
        }
    }

    private static void readParameters(JsonNode list, ObjectNode parameters, Map<String, String> env)
            throws ApiError {
        if (!list.isArray()) {
            throw ApiError.badRequest("parameters must be a list of {\"key\": …, \"value\": …}");
        }
        for (JsonNode p : list) {
            String key = p.path("key").asText("");
            if (key.isEmpty()) {
                throw ApiError.badRequest("every parameter needs a key");
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
            throw ApiError.badRequest("limits must be an object");
        }
        return new Limits(
                Duration.ofMillis(integer(node, "timeout", base.timeout().toMillis())),
                (int) integer(node, "memory", base.memoryMb()),
                (int) integer(node, "concurrency", base.concurrency()),
                (int) integer(node, "logs", base.logsMb()),
                (int) integer(node, "maxInstances", base.maxInstances()),
                network(node, base.network()));
    }

    private static Network network(JsonNode limits, Network fallback) throws ApiError {
        JsonNode value = limits.path("network");
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        try {
            return Network.parse(value.isTextual() ? value.asText() : value.toString());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("limits." + e.getMessage());
        }
    }

    private static long integer(JsonNode limits, String field, long fallback) throws ApiError {
        JsonNode value = limits.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw ApiError.badRequest("limits." + field + " must be a whole number, was " + value);
        }
        return value.asLong();
    }

    /** The action as OpenWhisk shows it; {@code withCode} false leaves the code out. */
    static ObjectNode render(FunctionRevision revision, boolean withCode) {
        return render(revision, withCode, Optional.empty());
    }

    /**
     * The same, with the tier a Java function runs in now (Cove's extension): {@code "tier": {"runs":
     * "process", "reason": …}}.
     */
    static ObjectNode render(FunctionRevision revision, boolean withCode, Optional<TierVerdict> tier) {
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
        ArrayNode parameters = node.putArray("parameters");
        spec.parameters().properties().forEach(e -> parameters.addObject().put("key", e.getKey()).set("value", e.getValue()));
        ObjectNode env = node.putObject("env");
        spec.env().forEach(env::put);
        Limits l = spec.limits();
        node.putObject("limits").put("timeout", l.timeout().toMillis()).put("memory", l.memoryMb())
                .put("concurrency", l.concurrency()).put("logs", l.logsMb()).put("maxInstances", l.maxInstances())
                .put("network", l.network().wire());
        ArrayNode annotations = node.putArray("annotations");
        annotations.addObject().put("key", "exec").put("value", spec.kind().family());
        spec.annotations().forEach(a -> {
            if (!"exec".equals(a.path("key").asText())) {
                annotations.add(a);
            }
        });
        tier.ifPresent(t -> {
            ObjectNode runs = node.putObject("tier").put("runs", t.tier().wire());
            t.reason().ifPresent(why -> runs.put("reason", why));
        });
        node.put("publish", false);
        node.put("updated", revision.updated().toEpochMilli());
        return node;
    }
}
