package dev.cove.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/** Runs cove in-process, as a user would from a shell, with its output captured. */
final class Cli {

    private final CliEnv env;

    Cli(CliEnv env) {
        this.env = env;
    }

    /** A process with these variables and its config file at {@code configFile}. */
    static Cli with(Map<String, String> variables, Path configFile) {
        return new Cli(new CliEnv(variables, configFile));
    }

    record Result(int exitCode, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A command running on its own thread, such as {@code logs NAME --follow} or {@code up}. */
    final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final Thread thread;
        private volatile int exitCode = -1;

        private Running(String... args) {
            CommandLine commandLine = Main.commandLine(env);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            thread = Thread.ofPlatform().name("cove " + String.join(" ", args)).start(
                    () -> exitCode = commandLine.execute(args));
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** Interrupts the command, as Ctrl-C would end it, and waits for it to finish. */
        Result stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(30));
            return new Result(exitCode, out(), err());
        }
    }

    Running start(String... args) {
        return new Running(args);
    }

    /** The (sub)command object picocli filled in for these arguments, without running it. */
    <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult result = Main.commandLine(env).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }
}
