package dev.cove.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code cove} command's entry point.
 *
 * <p>Design: one picocli class per command. Those that talk to a server extend {@link ApiCommand},
 * which resolves where to connect ({@link Target}: flags, then the environment, then the config file)
 * and hands them a {@link CoveClient}, the only code that speaks HTTP. What the process may know of
 * its surroundings (environment variables, the config file's path) comes in as a {@link CliEnv}, so
 * tests run the real command tree in-process. Every failure a person can act on is a
 * {@link CliException} whose message is printed as one line (exit status 1); picocli's usage errors
 * exit 2; nothing else reaches the user but a one-line notice.
 */
public final class Main {

    private static final int HELP_WIDTH = 100;
    private static final int LONG_OPTIONS_WIDTH = 30;

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine(CliEnv.system(), commandsFor(args)).execute(args));
    }

    /**
     * The command tree for one environment, with cove's error handling: a {@link CliException} is one
     * line on stderr and exit status 1; a usage error is one line, a hint, and exit status 2.
     */
    static CommandLine commandLine(CliEnv env) {
        return commandLine(env, CoveCommand.COMMANDS);
    }

    /**
     * The subcommand a command line names first, alone; all of them when it names none (the help lists
     * them, a misspelt one gets suggestions).
     */
    static List<Class<?>> commandsFor(String[] args) {
        if (args.length > 0) {
            for (Class<?> command : CoveCommand.COMMANDS) {
                Command annotation = command.getAnnotation(Command.class);
                if (annotation.name().equals(args[0]) || Arrays.asList(annotation.aliases()).contains(args[0])) {
                    return List.of(command);
                }
            }
        }
        return CoveCommand.COMMANDS;
    }

    private static CommandLine commandLine(CliEnv env, List<Class<?>> commands) {
        CommandLine commandLine = new CommandLine(new CoveCommand(env));
        commands.forEach(commandLine::addSubcommand);
        commandLine.setUsageHelpWidth(HELP_WIDTH);
        // Room for --function-selector=SELECTOR beside its description; shorter options keep their width.
        commandLine.setUsageHelpLongOptionsMaxWidth(LONG_OPTIONS_WIDTH);
        // "--data @params.json" names a JSON file, not one of picocli's argument files.
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler((e, command, parseResult) -> failed(e, command, env));
        commandLine.setParameterExceptionHandler(Main::usageError);
        return commandLine;
    }

    private static int failed(Exception e, CommandLine command, CliEnv env) {
        PrintWriter err = command.getErr();
        if (e instanceof CliException) {
            err.println(e.getMessage());
        } else if (env.debug()) {
            e.printStackTrace(err);
        } else {
            err.println("cove failed unexpectedly (" + e.getClass().getSimpleName()
                    + ") - run it again with COVE_DEBUG=1 to see where");
        }
        err.flush();
        return 1;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }
}
