package dev.cove.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A function as a user deploys it.
 *
 * @param name unique within its namespace; letters, digits, {@code _ . @ -}, starting with a letter, digit or {@code _}
 * @param kind the runtime
 * @param code the source or archive
 * @param main the entry point: a function name (node, python) or a class name (java)
 * @param parameters default parameters, merged under each invocation's own
 * @param env environment variables of the function's workers
 * @param limits what it may use
 * @param annotations free-form key/value pairs, kept as given (OpenWhisk's {@code [{"key", "value"}]})
 * @param tier where a Java function asks to run; {@link Tier#AUTO} for every other kind
 * @param labels what rules choose functions by ({@link LabelSelector}), as Kubernetes' labels
 * @param dependencies the packages a node or python function needs, installed when it is deployed;
 *     {@link Dependencies#NONE} for every other kind
 */
public record FunctionSpec(
        String name, Kind kind, Code code, String main, ObjectNode parameters, Map<String, String> env,
        Limits limits, ArrayNode annotations, Tier tier, Map<String, String> labels, Dependencies dependencies) {
    /** OpenWhisk's annotation that gives a function its namespace's key. */
    public static final String PROVIDE_API_KEY = "provide-api-key";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,255}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    private static final Pattern ACTIVATION_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern MAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]{0,255}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public FunctionSpec {
        requireName(name);
        if (!MAIN.matcher(main).matches()) {
            throw new IllegalArgumentException("main must be an identifier (or a Java class name), was '" + main + "'");
        }
        env.forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("environment variable names must match "
                        + ENV_NAME.pattern() + ", was '" + key + "'");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + key + " contains a NUL character");
            }
        });
        if (tier != Tier.AUTO && kind != Kind.JAVA) {
            throw new IllegalArgumentException("only Java functions choose their tier; a " + kind.kindName()
                    + " function runs in its sandbox's worker, was asked for tier " + tier.wire());
        }
        requireDependencies(kind, dependencies);
        parameters = parameters.deepCopy();
        env = Map.copyOf(new TreeMap<>(env));
        annotations = annotations.deepCopy();
        labels = Labels.checked(labels);
    }

    /** A spec without labels. */
    public FunctionSpec(String name, Kind kind, Code code, String main, ObjectNode parameters, Map<String, String> env,
            Limits limits, ArrayNode annotations, Tier tier, Dependencies dependencies) {
        this(name, kind, code, main, parameters, env, limits, annotations, tier, Map.of(), dependencies);
    }

    /** A spec without labels or dependencies. */
    public FunctionSpec(String name, Kind kind, Code code, String main, ObjectNode parameters, Map<String, String> env,
            Limits limits, ArrayNode annotations, Tier tier) {
        this(name, kind, code, main, parameters, env, limits, annotations, tier, Map.of(), Dependencies.NONE);
    }

    /** A spec with no parameters, environment or annotations and the default limits. */
    public static FunctionSpec of(String name, Kind kind, Code code, String main) {
        return new FunctionSpec(name, kind, code, main, JsonNodeFactory.instance.objectNode(), Map.of(),
                Limits.DEFAULT, JsonNodeFactory.instance.arrayNode(), Tier.AUTO, Map.of(), Dependencies.NONE);
    }

    /** Only node and python functions have packages to install, and node's are a package.json's JSON object. */
    private static void requireDependencies(Kind kind, Dependencies dependencies) {
        if (dependencies.none()) {
            return;
        }
        if (kind != Kind.NODEJS && kind != Kind.PYTHON) {
            throw new IllegalArgumentException("only nodejs and python functions have dependencies, a "
                    + kind.kindName() + " function can't");
        }
        if (kind == Kind.NODEJS) {
            JsonNode json;
            try {
                json = JSON.readTree(dependencies.text());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the dependencies of a nodejs function are a package.json,"
                        + " which must be JSON: " + e.getOriginalMessage());
            }
            if (!json.isObject()) {
                throw new IllegalArgumentException("the dependencies of a nodejs function are a package.json,"
                        + " which must be a JSON object, was " + json.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
        }
    }

    public static void requireName(String name) {
        requireName("function", name);
    }

    /** Checks the name of a function, trigger or rule ({@code what}): each is named alike. */
    public static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a " + what + " name is 1 to 256 letters, digits, '_', '.', '@' or "
                    + "'-' and starts with a letter, digit or '_'; was '" + name + "'");
        }
        if (ACTIVATION_ID.matcher(name).matches()) {
            throw new IllegalArgumentException("a " + what + " name can't be 32 hex digits, which is how "
                    + "activation ids look; was '" + name + "'");
        }
    }

    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }

    @Override
    public ArrayNode annotations() {
        return annotations.deepCopy();
    }

    /**
     * Whether the annotation {@code key} is there with a value OpenWhisk holds true: anything but
     * {@code false}, {@code 0}, {@code null} and {@code ""}.
     */
    public boolean annotated(String key) {
        for (JsonNode annotation : annotations) {
            if (annotation.path("key").asText().equals(key)) {
                JsonNode value = annotation.path("value");
                return !(value.isNull() || value.isMissingNode() || value.isBoolean() && !value.booleanValue()
                        || value.isNumber() && value.doubleValue() == 0 || value.isTextual() && value.asText().isEmpty());
            }
        }
        return false;
    }

    /**
     * What a redeployment changes that the function's callers would notice, one sentence each, e.g.
     * {@code hello was nodejs:20, is now python:3}: its runtime, the form of its code (a source file,
     * an archive) and its entry point. Empty when it keeps all three.
     */
    public List<String> changesFrom(FunctionSpec before) {
        List<String> changes = new ArrayList<>();
        if (before.kind != kind) {
            changes.add(name + " was " + before.kind.kindName() + ", is now " + kind.kindName());
        }
        if (!before.codeForm().equals(codeForm())) {
            changes.add(name + " was " + before.codeForm() + ", is now " + codeForm());
        }
        if (!before.main.equals(main)) {
            changes.add(name + "'s entry point was " + before.main + ", is now " + main);
        }
        return changes;
    }

    /** A sequence's components, as its code lists them (a JSON array of function names). */
    public List<String> sequenceComponents() {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(code.text()).forEach(n -> names.add(n.asText()));
            return names;
        } catch (IOException e) {
            throw new IllegalStateException("a sequence's components are not a JSON list: " + name, e);
        }
    }

    private String codeForm() {
        if (kind == Kind.SEQUENCE) {
            return "a sequence";
        }
        if (!code.binary()) {
            return "a source file";
        }
        return kind == Kind.JAVA ? "a jar" : "a zip archive";
    }

    public FunctionSpec withLimits(Limits newLimits) {
        return new FunctionSpec(name, kind, code, main, parameters, env, newLimits, annotations, tier, labels, dependencies);
    }

    public FunctionSpec withMain(String newMain) {
        return new FunctionSpec(name, kind, code, newMain, parameters, env, limits, annotations, tier, labels, dependencies);
    }

    public FunctionSpec withParameters(ObjectNode newParameters) {
        return new FunctionSpec(name, kind, code, main, newParameters, env, limits, annotations, tier, labels, dependencies);
    }

    public FunctionSpec withEnv(Map<String, String> newEnv) {
        return new FunctionSpec(name, kind, code, main, parameters, newEnv, limits, annotations, tier, labels, dependencies);
    }

    public FunctionSpec withDependencies(Dependencies newDependencies) {
        return new FunctionSpec(name, kind, code, main, parameters, env, limits, annotations, tier, labels, newDependencies);
    }

    public FunctionSpec withTier(Tier newTier) {
        return new FunctionSpec(name, kind, code, main, parameters, env, limits, annotations, newTier, labels, dependencies);
    }

    public FunctionSpec withLabels(Map<String, String> newLabels) {
        return new FunctionSpec(name, kind, code, main, parameters, env, limits, annotations, tier, newLabels, dependencies);
    }

    public FunctionSpec withName(String newName) {
        return new FunctionSpec(newName, kind, code, main, parameters, env, limits, annotations, tier, labels, dependencies);
    }
}
