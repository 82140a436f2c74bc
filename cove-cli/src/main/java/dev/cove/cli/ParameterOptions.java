package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code -p KEY VALUE} and {@code --data JSON|@FILE}: the input of an invocation or a workflow. */
final class ParameterOptions {

    @Option(names = {"-p", "--param"}, arity = "2", paramLabel = "KEY VALUE", hideParamSyntax = true,
            description = "A parameter, repeatable, over those of --data; a VALUE that parses as JSON is sent as"
                    + " that JSON, anything else as a string (default: none).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE",
            description = "The parameters as a JSON object, or @FILE to read it from a file (default: {}).")
    Optional<String> data = Optional.empty();

    /** Whether -p or --data is given. */
    boolean given() {
        return !params.isEmpty() || data.isPresent();
    }

    /** --data, then each -p over it; a bad --data is a usage error made by {@code usage}. */
    ObjectNode parameters(Function<String, RuntimeException> usage) {
        ObjectNode parameters = Json.MAPPER.createObjectNode();
        data.ifPresent(text -> parameters.setAll(dataObject(text, usage)));
        parameters.setAll(Json.parameters(params));
        return parameters;
    }

    private static ObjectNode dataObject(String text, Function<String, RuntimeException> usage) {
        String json = text.startsWith("@") ? readFile(Path.of(text.substring(1))) : text;
        JsonNode node = Json.parse(json).orElseThrow(() -> usage.apply(
                "--data " + (text.startsWith("@") ? text.substring(1) + " holds" : "is") + " no valid JSON"));
        if (!node.isObject()) {
            throw usage.apply("--data must be a JSON object like {\"name\": \"Ada\"}");
        }
        return (ObjectNode) node;
    }

    private static String readFile(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new CliException("cannot read " + path + " - check that it exists and is a file you may read");
        }
    }
}
