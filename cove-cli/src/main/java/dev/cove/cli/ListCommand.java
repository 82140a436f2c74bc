package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cove list}: the deployed functions. */
@Command(name = "list", description = "List the deployed functions.")
final class ListCommand extends ApiCommand {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "30",
            description = "At most this many functions, 1 to 200 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
            description = "Leave out this many functions first (default: ${DEFAULT-VALUE}).")
    int skip;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.listActions(limit, skip);
        if (json()) {
            out().println(response.body());
            return 0;
        }
        JsonNode actions = response.json();
        if (actions.isEmpty()) {
            out().println("no functions deployed (cove deploy FILE adds one)");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode action : actions) {
            long updated = action.path("updated").asLong();
            rows.add(List.of(Json.text(action, "name"), Json.text(action, "version"),
                    Json.text(action.path("exec"), "kind"), updated > 0 ? Output.time(updated, ZoneId.systemDefault()) : ""));
        }
        Output.table(List.of("NAME", "VERSION", "KIND", "UPDATED"), rows).forEach(out()::println);
        return 0;
    }
}
