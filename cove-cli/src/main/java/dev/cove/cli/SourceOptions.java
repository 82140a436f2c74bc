package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * What a trigger answers besides fires and its schedule: the topic whose messages fire it
 * ({@code --topic}), and the HTTP route at which a function answers ({@code --http PATH --method M
 * --function F}). They cross the REST API as the trigger's {@code topic} and {@code http} fields
 * (docs/rest-api.md); {@code null} removes either.
 */
final class SourceOptions {

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Fire with each message published on this topic of the namespace (cove publish, ctx.publish)"
                    + " (default: none).")
    Optional<String> topic = Optional.empty();

    @Option(names = "--http", paramLabel = "PATH",
            description = "Make it an HTTP trigger: --function answers requests to PATH on the server (/rescale),"
                    + " as /fn/NAME does (default: none).")
    Optional<String> path = Optional.empty();

    @Option(names = "--method", paramLabel = "METHOD",
            description = "With --http: an HTTP method it answers, repeatable (default: GET, POST, PUT, PATCH and"
                    + " DELETE).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--function", paramLabel = "FUNCTION",
            description = "With --http: the function that answers, of this namespace (default: none).")
    Optional<String> function = Optional.empty();

    /** Whether --topic is given. */
    boolean topicGiven() {
        return topic.isPresent();
    }

    /** Whether any of --http, --method and --function is given. */
    boolean httpGiven() {
        return path.isPresent() || !methods.isEmpty() || function.isPresent();
    }

    /** The topic, checked: a usage error made by {@code usage} when blank. */
    String topic(Function<String, RuntimeException> usage) {
        String name = topic.orElseThrow();
        if (name.isBlank()) {
            throw usage.apply("--topic is blank: give the topic's name");
        }
        return name;
    }

    /**
     * The HTTP route these options give, over {@code base} (the trigger's {@code http} as the server
     * shows it, or a missing node): a new --http, --function or --method replaces what {@code base} had
     * of it. A route without a path or a function is a usage error made by {@code usage}.
     */
    ObjectNode http(JsonNode base, Function<String, RuntimeException> usage) {
        ObjectNode http = base.isObject() ? ((ObjectNode) base).deepCopy() : Json.MAPPER.createObjectNode();
        path.ifPresent(value -> http.put("path", value));
        function.ifPresent(value -> http.put("function", value));
        if (!methods.isEmpty()) {
            ArrayNode list = http.putArray("methods");
            methods.forEach(method -> list.add(method.strip().toUpperCase(Locale.ROOT)));
        } else if (!http.has("methods")) {
            http.putArray("methods");
        }
        if (!http.has("path")) {
            throw usage.apply("--method and --function go with --http PATH: the path the function answers at");
        }
        if (!http.has("function")) {
            throw usage.apply("--http needs --function FUNCTION: the function that answers at " + Json.text(http, "path"));
        }
        return http;
    }

    /**
     * One phrase: {@code GET,POST /rescale -> rescale}. The methods are sorted, since the server keeps a
     * set of them; every method reads as {@code *}.
     */
    static String routeOf(JsonNode http) {
        List<String> methods = new ArrayList<>();
        http.path("methods").forEach(method -> methods.add(method.asText()));
        methods.sort(null);
        return (methods.isEmpty() ? "*" : String.join(",", methods)) + " " + Json.text(http, "path") + " -> "
                + Json.text(http, "function");
    }
}
