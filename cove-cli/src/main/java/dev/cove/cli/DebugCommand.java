package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove debug ID}: a shell in the sandbox a failed activation ran in (docs/debugging.md). */
@Command(name = "debug", description = {
        "Open a shell inside the sandbox a failed activation ran in, as the failure left it: its files, its"
                + " processes frozen where they stood, busybox's tools. 'exit' leaves; the shell's exit status is"
                + " this command's.",
        "A sandbox is kept for a while after a developer error or a timeout (cove up --debug-window)."},
        footer = {"", "Examples:", "  cove debug 01a24b1b09d0480bba47d2513b423f93", "  cove debug --follow resize",
                "  cove debug --function resize", "  cove debug --sessions"})
final class DebugCommand extends ApiCommand {
    /** How often --follow looks for a new failure: a failure is attached to within about this long. */
    private static final long FOLLOW_POLL_MS = 200;
    /** How often the terminal's size is looked at, to pass a resize on. */
    private static final long SIZE_POLL_MS = 250;
    private static final int LOG_LINES = 10;
    private static final byte CTRL_D = 4;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The failed activation's id (cove activations lists them).")
    Optional<String> id = Optional.empty();

    @Option(names = "--follow", paramLabel = "NAME", description = "Wait for the function's next failure, print its"
            + " error and last log lines, then open the shell in its sandbox.")
    Optional<String> follow = Optional.empty();

    @Option(names = "--function", paramLabel = "NAME", description = "Open the shell in the sandbox of one of the"
            + " function's instances started now, busy or idle.")
    Optional<String> function = Optional.empty();

    @Option(names = "--sessions", description = "List the namespace's debug sessions the server remembers: when, with"
            + " which key, on what, for how long, and the shell's exit status.")
    boolean sessions;

    @Override
    int run(CoveClient client) {
        int asked = (id.isPresent() ? 1 : 0) + (follow.isPresent() ? 1 : 0) + (function.isPresent() ? 1 : 0)
                + (sessions ? 1 : 0);
        if (asked != 1) {
            throw usage("name a failed activation's ID, or one of --follow NAME, --function NAME, --sessions");
        }
        if (sessions) {
            return listSessions(client);
        }
        if (id.isPresent()) {
            return attach("/api/v1/namespaces/_/activations/" + URLEncoder.encode(id.get(), StandardCharsets.UTF_8));
        }
        if (function.isPresent()) {
            return attach("/api/v1/namespaces/_/actions/" + URLEncoder.encode(function.get(), StandardCharsets.UTF_8));
        }
        Set<String> seen = new HashSet<>();
        long since = System.currentTimeMillis();
        err().println("waiting for " + follow.get() + " to fail (Ctrl-C stops)");
        err().flush();
        while (true) {
            Optional<JsonNode> failed = nextFailure(client, follow.get(), since, seen);
            if (failed.isEmpty()) {
                pause(FOLLOW_POLL_MS);
                continue;
            }
            String activation = Json.text(failed.get(), "activationId");
            describe(client.getActivation(activation).json());
            try {
                return attach("/api/v1/namespaces/_/activations/" + activation);
            } catch (CliException e) {
                err().println(e.getMessage()); // not kept (an application error, say): wait for the next
                err().flush();
            }
        }
    }

    /** The newest activation of the function since {@code since} that failed and was not seen yet. */
    private static Optional<JsonNode> nextFailure(CoveClient client, String name, long since, Set<String> seen) {
        JsonNode list = client.listActivations(Optional.of(name), 20, 0, false, Optional.of(since)).json();
        return StreamSupport.stream(list.spliterator(), false)
                .filter(a -> seen.add(Json.text(a, "activationId")))
                .filter(a -> !"success".equals(Json.text(a.path("response"), "status")))
                .findFirst();
    }

    /** The failure's error and its last log lines, before the shell. */
    private void describe(JsonNode activation) {
        JsonNode error = activation.path("response").path("result").path("error");
        err().println("activation " + Json.text(activation, "activationId") + " failed: "
                + (error.isTextual() ? error.asText() : Json.compact(error)));
        List<JsonNode> logs = StreamSupport.stream(activation.path("logs").spliterator(), false).toList();
        logs.subList(Math.max(0, logs.size() - LOG_LINES), logs.size()).forEach(line -> err().println("  " + line.asText()));
        err().flush();
    }

    private int listSessions(CoveClient client) {
        CoveClient.Response response = client.debugSessions();
        if (json()) {
            out().println(response.body());
            return 0;
        }
        List<List<String>> rows = StreamSupport.stream(response.json().spliterator(), false)
                .map(s -> List.of(Output.time(s.path("opened").asLong(), ZoneId.systemDefault()), Json.text(s, "key"),
                        Json.text(s, "target"), s.has("durationMs") ? s.path("durationMs").asLong() + " ms" : "open",
                        Json.text(s, "exit")))
                .toList();
        if (rows.isEmpty()) {
            out().println("no debug session yet");
        } else {
            Output.table(List.of("OPENED", "KEY", "ON", "FOR", "EXIT"), rows).forEach(out()::println);
        }
        return 0;
    }

    /** Opens the shell at {@code target} + {@code /debug} and relays until it ends; answers its exit status. */
    private int attach(String target) {
        TerminalMode tty = TerminalMode.ofStandardInput();
        int[] size = tty.size().orElse(new int[] {24, 80});
        String path = target + "/debug?rows=" + size[0] + "&columns=" + size[1];
        try (TerminalSocket socket = TerminalSocket.open(server(), path)) {
            tty.raw();
            try {
                return relay(socket, tty, size);
            } finally {
                tty.restore();
            }
        }
    }

    /** Keys to the shell, its output to this terminal, resizes as they come; answers the shell's exit status. */
    private int relay(TerminalSocket socket, TerminalMode tty, int[] size) {
        Thread.ofPlatform().daemon().name("cove-debug-keys").start(() -> keys(socket, System.in));
        if (tty.interactive()) {
            Thread.ofPlatform().daemon().name("cove-debug-size").start(() -> resizes(socket, tty, size));
        }
        PrintStream screen = System.out;
        try {
            for (Optional<TerminalSocket.Message> m = socket.receive(); m.isPresent(); m = socket.receive()) {
                if (!m.get().text()) {
                    screen.write(m.get().payload());
                    screen.flush();
                    continue;
                }
                JsonNode control = Json.parse(m.get().asText()).orElseThrow(() -> new CliException(
                        "the server sent a control frame that is not JSON"));
                if (control.has("exit")) {
                    return control.path("exit").asInt();
                }
                if (control.has("error")) {
                    throw new CliException(Json.text(control, "error"));
                }
            }
        } catch (IOException e) {
            throw new CliException("the debug session broke off: " + e.getMessage());
        }
        throw new CliException("the server ended the debug session");
    }

    /** What is typed, as it is typed; at the end of a piped input, an end of file for the shell (Ctrl-D). */
    private static void keys(TerminalSocket socket, InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                socket.sendBinary(buffer, n);
            }
            socket.sendBinary(new byte[] {CTRL_D}, 1);
        } catch (IOException e) {
            // the session ended, and the socket with it
        }
    }

    private static void resizes(TerminalSocket socket, TerminalMode tty, int[] initial) {
        int[] last = initial;
        try {
            while (true) {
                pause(SIZE_POLL_MS);
                Optional<int[]> now = tty.size();
                if (now.isPresent() && (now.get()[0] != last[0] || now.get()[1] != last[1])) {
                    last = now.get();
                    socket.sendText("{\"resize\": {\"rows\": " + last[0] + ", \"columns\": " + last[1] + "}}");
                }
            }
        } catch (IOException e) {
            // the session ended
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
