package dev.cove.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code cove}: the root command; it only holds the subcommands and the process's {@link CliEnv}. */
@Command(name = "cove",
        description = "Cove runs functions: deploy JavaScript, Python and Java functions and invoke them.",
        versionProvider = VersionCommand.Provider.class,
        synopsisSubcommandLabel = "COMMAND",
        footer = {"",
            "Start a server with './cove up', then in a second terminal:",
            "  cove deploy examples/hello.js",
            "  cove invoke hello -p name Ada",
            "",
            "Environment:",
            "  COVE_APIHOST, COVE_AUTH  the server and key, over the config file's",
            "  COVE_CONFIG              the config file (default: ~/.cove/config.json)",
            "  COVE_DEBUG=1             print the stack trace of an internal error",
            "",
            "Exit status: 0 success, 1 a failure (an HTTP error, a failed activation), 2 a usage error.",
            "Run 'cove COMMAND --help' for a command's options."})
final class CoveCommand implements Callable<Integer> {

    /**
     * The subcommands, in the order the help lists them. {@link Main} adds them to the tree: all of
     * them, or only the one a command line names, since picocli reads every command's annotations when
     * it is added, which took about a third of a command's start-up with all of them.
     */
    static final List<Class<?>> COMMANDS = List.of(UpCommand.class, DeployCommand.class, AppCommand.class,
            WorkflowCommand.class, TriggerCommand.class, RuleCommand.class, PublishCommand.class, CacheCommand.class,
            ListCommand.class, GetCommand.class, DeleteCommand.class, InvokeCommand.class, ActivationsCommand.class,
            ActivationCommand.class, LogsCommand.class, DebugCommand.class, ReplayCommand.class, TopCommand.class,
            VersionCommand.class);

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final CliEnv env;

    CoveCommand(CliEnv env) {
        this.env = env;
    }

    CliEnv env() {
        return env;
    }

    /** {@code cove} alone: the help on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
