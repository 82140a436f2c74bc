package dev.cove.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --apihost} and {@code --auth}, on every command that talks to a server. */
final class ConnectionOptions {

    @Option(names = "--apihost", paramLabel = "URL",
            description = "The server's API host (default: $COVE_APIHOST, else the config file's,"
                    + " else " + Target.DEFAULT_APIHOST + ").")
    Optional<String> apiHost = Optional.empty();

    @Option(names = "--auth", paramLabel = "UUID:KEY",
            description = "The namespace's key (default: $COVE_AUTH, else the config file's)."
                    + " The config file is ~/.cove/config.json or $COVE_CONFIG; ./cove up writes it.")
    Optional<String> auth = Optional.empty();

    Target target(CliEnv env) {
        return Target.resolve(apiHost, auth, env);
    }
}
