package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A state's input and output processing, applied in the order ASL specifies: InputPath, Parameters, (the
 * state's work), ResultSelector, ResultPath, OutputPath. An empty InputPath or OutputPath is the JSON
 * null of the definition ({@code {}} passes on); an empty ResultPath discards the result and keeps the
 * input.
 */
record Io(Optional<Path> inputPath, Optional<Template> parameters, Optional<Template> resultSelector,
        Optional<Path> resultPath, Optional<Path> outputPath) {

    static final Io DEFAULT = new Io(Optional.of(Path.ROOT), Optional.empty(), Optional.empty(),
            Optional.of(Path.ROOT), Optional.of(Path.ROOT));

    /** What the state works on: its input through InputPath, then Parameters. */
    JsonNode effectiveInput(JsonNode input, JsonNode context) {
        JsonNode selected = selected(input, context);
        return parameters.map(template -> template.apply(selected, context, "Parameters")).orElse(selected);
    }

    /** The input through InputPath alone. */
    JsonNode selected(JsonNode input, JsonNode context) {
        return inputPath.map(path -> path.read(input, context, "InputPath")).orElseGet(Path::emptyObject);
    }

    /** The state's output: its result through ResultSelector, placed into its raw input, then OutputPath. */
    JsonNode output(JsonNode input, JsonNode result, JsonNode context) {
        JsonNode selected = resultSelector.map(template -> template.apply(result, context, "ResultSelector"))
                .orElse(result);
        JsonNode combined = resultPath.map(path -> path.write(input, selected, "ResultPath")).orElse(input);
        return filtered(combined, context);
    }

    /** A state without a result (Choice, Wait, Succeed): its input through InputPath, then OutputPath. */
    JsonNode passThrough(JsonNode input, JsonNode context) {
        return filtered(selected(input, context), context);
    }

    private JsonNode filtered(JsonNode node, JsonNode context) {
        return outputPath.map(path -> path.read(node, context, "OutputPath")).orElseGet(Path::emptyObject);
    }
}
