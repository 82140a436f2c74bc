package dev.cove.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cove delete NAME}. */
@Command(name = "delete", description = "Delete a function.")
final class DeleteCommand extends ApiCommand {

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.deleteAction(name);
        if (json()) {
            out().println(response.body());
        } else {
            out().println("deleted " + name);
        }
        return 0;
    }
}
