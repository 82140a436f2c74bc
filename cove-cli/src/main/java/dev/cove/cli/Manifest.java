package dev.cove.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application's manifest ({@code cove.yaml}) read into the body of
 * {@code PUT /api/v1/namespaces/_/applications/NAME}:
 *
 * <pre>
 * application: shop
 * functions:
 *   cart:
 *     file: cart.js            # relative to the manifest
 *     runtime: nodejs          # default: from the file's extension
 *     main: main               # default: main, else handler
 *     tier: auto               # java only: auto, inline or process (default auto)
 *     dependencies: package.json  # relative to the manifest (default: a package.json beside a .js file)
 *     limits: {timeout: 30s, memory: 256, concurrency: 1, maxInstances: 4, logs: 10, network: none,
 *              minInstances: 0, idleTimeout: 10m, debug: on}
 *     parameters: {currency: EUR}
 *     env: {API_URL: https://example.com}
 *     labels: {function: cart}  # what rules' selectors match (cove rule create --function-selector)
 * workflow:                    # optional: Amazon States Language
 *   StartAt: Cart
 *   States: {Cart: {Type: Task, Resource: cart, End: true}}
 * </pre>
 *
 * A field the manifest does not know is an error, so that a misspelt one is not silently ignored.
 */
record Manifest(String name, ObjectNode body) {

    /** Whether the server installs dependencies for one of its functions, which may take it minutes. */
    boolean installs() {
        for (JsonNode function : body.path("functions")) {
            if (function.path("exec").has("dependencies")) {
                return true;
            }
        }
        return false;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> TOP = List.of("application", "functions", "workflow");
    private static final List<String> FUNCTION = List.of("file", "runtime", "main", "tier", "dependencies", "limits",
            "parameters", "env", "labels");
    private static final List<String> LIMITS = List.of("timeout", "memory", "concurrency", "maxInstances", "logs", "network",
            "minInstances", "idleTimeout", "debug");

    static Manifest read(Path file) {
        JsonNode root = parse(file);
        String where = file.getFileName().toString();
        requireObject(root, where);
        onlyKnown(root, TOP, where);
        JsonNode name = root.path("application");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new CliException(where + ": 'application' is required: the application's name");
        }
        JsonNode functions = root.path("functions");
        if (!functions.isObject() || functions.isEmpty()) {
            throw new CliException(where + ": 'functions' is required: a map from each function's name to its file and settings");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("functions");
        Path dir = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("."));
        for (Map.Entry<String, JsonNode> f : functions.properties()) {
            list.add(function(f.getKey(), f.getValue(), dir, where + ": functions." + f.getKey()));
        }
        JsonNode workflow = root.path("workflow");
        if (!workflow.isMissingNode() && !workflow.isNull()) {
            requireObject(workflow, where + ": workflow");
            body.set("workflow", workflow);
        }
        return new Manifest(name.asText(), body);
    }

    private static JsonNode parse(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new CliException(file + " is not valid YAML: " + Output.oneLine(e.getOriginalMessage())
                    + Optional.ofNullable(e.getLocation()).map(l -> " (line " + l.getLineNr() + ")").orElse(""));
        } catch (NoSuchFileException e) {
            throw new CliException("no file " + file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " - check that it is a file you may read");
        }
    }

    private static ObjectNode function(String name, JsonNode spec, Path dir, String where) {
        requireObject(spec, where);
        onlyKnown(spec, FUNCTION, where);
        JsonNode file = spec.path("file");
        if (!file.isTextual()) {
            throw new CliException(where + ": 'file' is required: the function's code, relative to the manifest");
        }
        ObjectNode action = Json.MAPPER.createObjectNode().put("name", name);
        try {
            ObjectNode exec = FunctionFile.exec(dir.resolve(file.asText()), text(spec, "runtime", where),
                    text(spec, "main", where));
            text(spec, "tier", where).ifPresent(tier -> exec.put("tier", tier));
            FunctionFile.dependencies(dir.resolve(file.asText()), Json.text(exec, "kind"),
                    text(spec, "dependencies", where).map(dir::resolve))
                    .ifPresent(text -> exec.put("dependencies", text));
            action.set("exec", exec);
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ": " + e.getMessage());
        }
        ArrayNode parameters = action.putArray("parameters");
        map(spec, "parameters", where).forEach(p -> parameters.addObject().put("key", p.getKey()).set("value", p.getValue()));
        map(spec, "env", where).forEach(e -> parameters.addObject().put("key", e.getKey())
                .put("value", scalar(e.getValue())).put("init", true));
        if (spec.has("limits")) {
            action.set("limits", limits(spec.path("limits"), where + ".limits"));
        }
        List<Map.Entry<String, JsonNode>> labels = map(spec, "labels", where);
        if (!labels.isEmpty()) {
            ObjectNode map = action.putObject("labels");
            labels.forEach(label -> map.put(label.getKey(), scalar(label.getValue())));
        }
        return action;
    }

    /** A YAML value as text: {@code 3} and {@code true} are "3" and "true", as an environment or a label has them. */
    private static String scalar(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static ObjectNode limits(JsonNode limits, String where) {
        requireObject(limits, where);
        onlyKnown(limits, LIMITS, where);
        ObjectNode out = limits.deepCopy();
        for (String time : List.of("timeout", "idleTimeout")) {
            JsonNode value = limits.path(time);
            if (value.isTextual()) {
                try {
                    out.put(time, Durations.parse(value.asText()).toMillis());
                } catch (IllegalArgumentException e) {
                    throw new CliException(where + "." + time + ": " + e.getMessage());
                }
            }
        }
        JsonNode debug = limits.path("debug");
        if (debug.isTextual()) { // YAML 1.2 reads on and off as text
            switch (debug.asText()) {
                case "on" -> out.put("debug", true);
                case "off" -> out.put("debug", false);
                default -> throw new CliException(where + ".debug must be on or off, was " + debug.asText());
            }
        }
        return out;
    }

    private static Optional<String> text(JsonNode spec, String field, String where) {
        JsonNode value = spec.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new CliException(where + "." + field + " must be text, was " + value);
        }
        return Optional.of(value.asText());
    }

    private static List<Map.Entry<String, JsonNode>> map(JsonNode spec, String field, String where) {
        JsonNode value = spec.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        requireObject(value, where + "." + field);
        return value.properties().stream().toList();
    }

    private static void requireObject(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new CliException(where + " must be a map of fields");
        }
    }

    private static void onlyKnown(JsonNode node, List<String> known, String where) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new CliException(where + ": unknown field '" + field + "' (expected " + String.join(", ", known) + ")");
            }
        });
    }
}
