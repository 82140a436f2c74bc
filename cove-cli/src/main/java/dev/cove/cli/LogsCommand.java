package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove logs ID}, {@code cove logs NAME [--follow]}: what functions printed. */
@Command(name = "logs",
        description = "Print the logs of an activation, or of a function's latest activation; --follow keeps printing new ones.")
final class LogsCommand extends ApiCommand {

    private static final Pattern ACTIVATION_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final long POLL_MILLIS = 500;
    private static final int POLL_LIMIT = 200;
    /** The longest time limit a function may have. */
    private static final long LOOK_BACK_MILLIS = 300_000;

    @Parameters(paramLabel = "ID|NAME", description = "An activation's id (32 hex digits), or a function's name.")
    String target;

    @Option(names = {"-f", "--follow"},
            description = "For a function: keep printing the logs of its new activations until Ctrl-C (default: print once).")
    boolean follow;

    static boolean isActivationId(String text) {
        return ACTIVATION_ID.matcher(text).matches();
    }

    @Override
    int run(CoveClient client) {
        if (isActivationId(target)) {
            if (follow) {
                throw usage("--follow needs a function's name, not an activation id");
            }
            CoveClient.Response response = client.activationLogs(target);
            if (json()) {
                out().println(response.body());
            } else {
                response.json().path("logs").forEach(line -> out().println(line.asText()));
            }
            return 0;
        }
        return follow ? follow(client) : latest(client);
    }

    private int latest(CoveClient client) {
        CoveClient.Response response = client.listActivations(Optional.of(target), 1, 0, true, Optional.empty());
        JsonNode activations = response.json();
        if (activations.isEmpty()) {
            throw new CliException("no activations of '" + target + "' (cove invoke " + target + " makes one)");
        }
        print(activations.get(0));
        return 0;
    }

    /**
     * Prints the latest activation's logs, then polls the function's activations (with their logs) and
     * prints each new one's, oldest first, until interrupted. Records are written when an activation
     * ends but listed by when it started, so each poll looks back as far as the longest time limit
     * before the newest start seen, and ids already printed are skipped.
     */
    private int follow(CoveClient client) {
        Map<String, Long> seen = new HashMap<>();
        client.listActivations(Optional.of(target), POLL_LIMIT, 0, false, Optional.empty()).json()
                .forEach(activation -> seen.put(Json.text(activation, "activationId"), activation.path("start").asLong()));
        JsonNode latest = client.listActivations(Optional.of(target), 1, 0, true, Optional.empty()).json();
        latest.forEach(this::print);
        latest.forEach(activation -> seen.put(Json.text(activation, "activationId"), activation.path("start").asLong()));
        out().flush();
        while (pause()) {
            Optional<Long> since = seen.values().stream().max(Long::compare).map(start -> start - LOOK_BACK_MILLIS);
            JsonNode activations;
            try {
                activations = client.listActivations(Optional.of(target), POLL_LIMIT, 0, true, since).json();
            } catch (CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return 0;
                }
                throw e;
            }
            for (JsonNode activation : reversed(activations)) {
                if (seen.put(Json.text(activation, "activationId"), activation.path("start").asLong()) == null) {
                    print(activation);
                }
            }
            since.ifPresent(oldest -> seen.values().removeIf(start -> start < oldest));
            out().flush();
        }
        return 0;
    }

    /** Waits for the next poll; false once interrupted (Ctrl-C, or a test that is done). */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void print(JsonNode activation) {
        if (json()) {
            out().println(Json.compact(activation));
        } else {
            activation.path("logs").forEach(line -> out().println(line.asText()));
        }
    }

    private static List<JsonNode> reversed(JsonNode newestFirst) {
        List<JsonNode> list = new ArrayList<>();
        newestFirst.forEach(list::add);
        return list.reversed();
    }
}
