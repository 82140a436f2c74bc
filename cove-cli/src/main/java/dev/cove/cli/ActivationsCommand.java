package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove activations [NAME]}: the recent activations, newest first; or one chain of calls. */
@Command(name = "activations", description = "List recent activations, newest first, or with --chain the"
        + " activations one activation caused through calls between functions.")
final class ActivationsCommand extends ApiCommand {

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this function's activations (default: all functions').")
    Optional<String> name = Optional.empty();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "30",
            description = "At most this many activations, 1 to 200 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
            description = "Leave out this many of the newest activations first (default: ${DEFAULT-VALUE}).")
    int skip;

    @Option(names = "--chain", paramLabel = "ID",
            description = "List this activation and every activation it caused (ctx.invoke, ctx.send),"
                    + " callers before the functions they called.")
    Optional<String> chain = Optional.empty();

    @Override
    int run(CoveClient client) {
        if (chain.isPresent()) {
            return chain(client, chain.get());
        }
        CoveClient.Response response = client.listActivations(name, limit, skip, false, Optional.empty());
        if (json()) {
            out().println(response.body());
            return 0;
        }
        JsonNode activations = response.json();
        if (activations.isEmpty()) {
            out().println(name.map(function -> "no activations of '" + function + "'").orElse("no activations")
                    + " (cove invoke NAME makes one)");
            return 0;
        }
        Output.table(List.of("ID", "NAME", "VERSION", "STATUS", "START", "DURATION"), rows(activations, ZoneId.systemDefault()))
                .forEach(out()::println);
        return 0;
    }

    private int chain(CoveClient client, String id) {
        if (name.isPresent()) {
            throw usage("--chain lists one activation's chain: leave out NAME");
        }
        CoveClient.Response response = client.activationChain(id);
        if (json()) {
            out().println(response.body());
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> plain = rows(response.json(), ZoneId.systemDefault());
        int i = 0;
        for (JsonNode activation : response.json()) {
            List<String> row = new ArrayList<>(plain.get(i++));
            row.add(causedBy(activation));
            rows.add(row);
        }
        Output.table(List.of("ID", "NAME", "VERSION", "STATUS", "START", "DURATION", "CAUSED BY"), rows)
                .forEach(out()::println);
        return 0;
    }

    private static String causedBy(JsonNode activation) {
        for (JsonNode annotation : activation.path("annotations")) {
            if (annotation.path("key").asText().equals("causedBy")) {
                return annotation.path("value").asText();
            }
        }
        return "";
    }

    static List<List<String>> rows(JsonNode activations, ZoneId zone) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode activation : activations) {
            rows.add(List.of(Json.text(activation, "activationId"), Json.text(activation, "name"),
                    Json.text(activation, "version"), Json.text(activation.path("response"), "status"),
                    Output.time(activation.path("start").asLong(), zone), Json.text(activation, "duration") + " ms"));
        }
        return rows;
    }
}
