package dev.cove.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cove activation ID}: one activation record. */
@Command(name = "activation", description = "Show one activation: its status, result, logs, duration and annotations.")
final class ActivationCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The activation's id (cove activations lists them).")
    String id;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.getActivation(id);
        out().println(json() ? response.body() : Json.pretty(response.json()));
        return 0;
    }
}
