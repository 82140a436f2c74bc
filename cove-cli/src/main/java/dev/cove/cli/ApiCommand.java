package dev.cove.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
        try (CoveClient client = new CoveClient(server())) {
            return run(client);
        }
    }

    /** The server and key this command talks to. */
    final Target server() {
        return connection.target(((CoveCommand) spec.root().userObject()).env());
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

    /**
     * Sends a deployment, saying on stderr, when the server installs dependencies for it, that it
     * does and how long the deployment took: the request is silent meanwhile.
     */
    final CoveClient.Response installing(boolean installs, Supplier<CoveClient.Response> deploy) {
        if (!installs) {
            return deploy.get();
        }
        err().println("installing dependencies…");
        err().flush();
        long started = System.nanoTime();
        CoveClient.Response response = deploy.get();
        err().printf(Locale.ROOT, "dependencies ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        err().flush();
        return response;
    }
}
