package dev.cove.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Code;
import dev.cove.core.model.Dependencies;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import dev.cove.core.model.Tier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stored form of a {@link FunctionSpec} without its code, which the store keeps apart. */
final class SpecJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecJson() {}

    static String write(FunctionSpec spec) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", spec.kind().kindName());
        node.put("main", spec.main());
        node.put("binary", spec.code().binary());
        node.set("parameters", spec.parameters());
        ObjectNode env = node.putObject("env");
        spec.env().forEach(env::put);
        Limits limits = spec.limits();
        node.putObject("limits")
                .put("timeout", limits.timeout().toMillis())
                .put("memory", limits.memoryMb())
                .put("concurrency", limits.concurrency())
                .put("logs", limits.logsMb())
                .put("maxInstances", limits.maxInstances())
                .put("network", limits.network().wire())
                .put("minInstances", limits.minInstances())
                .put("idleTimeout", limits.idleTimeout().toMillis())
                .put("debug", limits.debug());
        node.set("annotations", spec.annotations());
        node.put("tier", spec.tier().wire());
        if (!spec.labels().isEmpty()) {
            ObjectNode labels = node.putObject("labels");
            spec.labels().forEach(labels::put);
        }
        if (!spec.dependencies().none()) {
            node.put("dependencies", spec.dependencies().text());
        }
        return node.toString();
    }

    /** A stored JSON text, such as an application's workflow. */
    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored definition is not valid JSON", e);
        }
    }

    static FunctionSpec read(String name, String json, byte[] code) {
        try {
            JsonNode node = JSON.readTree(json);
            Kind kind = Kind.parse(node.path("kind").asText())
                    .orElseThrow(() -> new IllegalStateException("unknown kind in the store: " + node.path("kind")));
            JsonNode l = node.path("limits");
            Limits limits = new Limits(Duration.ofMillis(l.path("timeout").asLong()), l.path("memory").asInt(),
                    l.path("concurrency").asInt(), l.path("logs").asInt(), l.path("maxInstances").asInt(),
                    Network.parse(l.path("network").asText("none")), l.path("minInstances").asInt(0),
                    Duration.ofMillis(l.path("idleTimeout").asLong(Limits.DEFAULT_IDLE_TIMEOUT.toMillis())),
                    l.path("debug").asBoolean(true));
            Map<String, String> env = new LinkedHashMap<>();
            node.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            Map<String, String> labels = new LinkedHashMap<>();
            node.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            return new FunctionSpec(name, kind, new Code(code, node.path("binary").asBoolean()),
                    node.path("main").asText(), (ObjectNode) node.path("parameters"), env, limits,
                    (ArrayNode) node.path("annotations"), Tier.parse(node.path("tier").asText("auto")), labels,
                    new Dependencies(node.path("dependencies").asText("")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored function is not valid JSON: " + name, e);
        }
    }
}
