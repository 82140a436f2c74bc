package dev.cove.cli;

import dev.cove.server.ServerOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the commands may know about the process they run in: its environment variables and where the
 * config file is. Injected so that tests never read the real environment or touch {@code ~/.cove}.
 */
record CliEnv(Map<String, String> variables, Path configFile) {

    static final String APIHOST = "COVE_APIHOST";
    static final String AUTH = "COVE_AUTH";
    static final String CONFIG = "COVE_CONFIG";
    static final String DEBUG = "COVE_DEBUG";

    CliEnv {
        variables = Map.copyOf(variables);
    }

    /**
     * The real process: {@code System.getenv()} and {@code ~/.cove/config.json} unless COVE_CONFIG says
     * otherwise, {@code ~} being {@code $HOME} where set ({@link ServerOptions#home}).
     */
    static CliEnv system() {
        return of(System.getenv());
    }

    static CliEnv of(Map<String, String> variables) {
        return new CliEnv(variables, configPath(variables, ServerOptions.home(variables)));
    }

    static Path configPath(Map<String, String> variables, Path home) {
        String configured = variables.get(CONFIG);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return home.resolve(".cove").resolve("config.json");
    }

    /** A variable that is set and not blank. */
    Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /** Where {@code cove up} keeps its data unless --data says otherwise: {@code ~/.cove}. */
    Path defaultDataDir() {
        return ServerOptions.defaultDataDir(variables);
    }

    boolean debug() {
        return variable(DEBUG).isPresent();
    }
}
