package dev.cove.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that talks to a server's REST API: the shared options, the client and the output streams. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print the server's JSON answer as it is, for scripts (default: text).")
    boolean json;

    @Override
    public final Integer call() {
        try (CoveClient client = new CoveClient(connection.target(((CoveCommand) spec.root().userObject()).env()))) {
            return run(client);
        }
    }

    /** Runs the command; answers its exit status. */
    abstract int run(CoveClient client);

    final boolean json() {
        return json;
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error about this command's arguments: cove prints it with a hint and exits 2. */
    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
