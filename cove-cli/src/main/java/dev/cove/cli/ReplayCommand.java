package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove replay ID}: a failed activation run again with its parameters. */
@Command(name = "replay", description = {
        "Run a failed activation again with the parameters it had, on the function version it ran on (deployed"
                + " again since or not), as a new activation annotated replayOf; print its result as cove invoke does.",
        "An inline Java function's activation runs again in the process tier, in a sandbox cove debug opens.",
        "The server keeps the parameters of each namespace's last 1000 failed activations, across restarts, as long"
                + " as their records (not of functions deployed with --debug off); one from before a restart whose"
                + " function was deployed again since runs only with --latest."})
final class ReplayCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The failed activation's id (cove activations lists them).")
    String id;

    @Option(names = "--latest", description = "Run it on the function's current version instead.")
    boolean latest;

    @Option(names = "--debug", description = "Keep its sandbox however it ends, for cove debug NEW_ID.")
    boolean debug;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.replay(id, latest, debug);
        if (json()) {
            out().println(response.body());
            return response.status() >= 400 ? 1 : 0;
        }
        JsonNode answer = response.json();
        JsonNode result = answer.path("response");
        String activation = Json.text(answer, "activationId");
        if (result.path("success").asBoolean(false)) {
            out().println(Json.pretty(result.path("result")));
        } else {
            err().println(InvokeCommand.failure(answer));
        }
        if (debug) {
            err().println("its sandbox is kept: cove debug " + activation);
        }
        return result.path("success").asBoolean(false) ? 0 : 1;
    }
}
