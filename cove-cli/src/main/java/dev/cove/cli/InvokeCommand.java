package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove invoke NAME}: runs a function and prints its result. */
@Command(name = "invoke",
        description = "Invoke a function: wait for it and print its result, or with --async print the activation id.",
        footer = {"", "Examples:",
            "  cove invoke hello -p name Ada",
            "  cove invoke hello --data '{\"name\": \"Ada\"}'",
            "  cove invoke hello --data @params.json --async"})
final class InvokeCommand extends ApiCommand {

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Mixin
    ParameterOptions input = new ParameterOptions();

    @Option(names = "--async", description = "Do not wait: print the activation's id (default: wait for the result).")
    boolean async;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.invoke(name, parameters(), !async);
        if (json()) {
            out().println(response.body());
            return response.status() == 502 || response.status() == 408 ? 1 : 0;
        }
        JsonNode answer = response.json();
        if (async || !answer.has("response")) {
            // A blocking call that outlasts the server's wait answers 202 with the id alone, as in OpenWhisk.
            out().println(Json.text(answer, "activationId"));
            return 0;
        }
        JsonNode result = answer.path("response");
        if (result.path("success").asBoolean(false)) {
            out().println(Json.pretty(result.path("result")));
            return 0;
        }
        err().println(failure(answer));
        return 1;
    }

    /** --data, then each -p over it. */
    ObjectNode parameters() {
        return input.parameters(this::usage);
    }

    /** One line for a failed activation: its status and error, e.g. {@code application error: no name (activation 7f3c…)}. */
    static String failure(JsonNode activation) {
        JsonNode response = activation.path("response");
        JsonNode result = response.path("result");
        String error = result.has("error") ? Json.text(result, "error") : Json.compact(result);
        String status = Json.text(response, "status");
        return Output.oneLine((status.isEmpty() ? "failed" : status) + ": " + error)
                + " (activation " + Json.text(activation, "activationId") + ")";
    }
}
