package dev.cove.cli;

import dev.cove.core.spi.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal this command runs in, through {@code stty} on {@code /dev/tty}: raw while a debug
 * shell runs (every key goes to the shell as typed, Ctrl-C included, and the shell's own terminal
 * echoes), then as it was. Nothing is changed when standard input is not a terminal (a pipe, a file).
 */
final class TerminalMode {
    private static final String STTY = "/usr/bin/stty";

    private final boolean interactive;
    private String saved;

    private TerminalMode(boolean interactive) {
        this.interactive = interactive;
    }

    static TerminalMode ofStandardInput() {
        try {
            String input = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return new TerminalMode((input.startsWith("/dev/pts/") || input.startsWith("/dev/tty"))
                    && Files.isExecutable(Path.of(STTY)));
        } catch (IOException | UnsupportedOperationException e) {
            return new TerminalMode(false);
        }
    }

    boolean interactive() {
        return interactive;
    }

    /** Rows and columns; empty when standard input is not a terminal. */
    Optional<int[]> size() {
        if (!interactive) {
            return Optional.empty();
        }
        String[] words = stty("size").trim().split("\\s+");
        try {
            return words.length == 2 ? Optional.of(new int[] {Integer.parseInt(words[0]), Integer.parseInt(words[1])})
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    void raw() {
        if (interactive) {
            saved = stty("-g").trim();
            stty("raw", "-echo");
        }
    }

    void restore() {
        if (interactive && saved != null) {
            stty(saved);
        }
    }

    private static String stty(String... arguments) {
        List<String> command = new ArrayList<>(List.of(STTY));
        command.addAll(List.of(arguments));
        try {
            Process stty = ChildProcesses.builder(command, Map.of()).redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            stty.waitFor();
            return out;
        } catch (IOException e) {
            throw new CliException("could not set up the terminal (" + STTY + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
