package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cove top}: the functions at work, their instances and load, redrawn until Ctrl-C. */
@Command(name = "top",
        description = "Show each function's instances (busy, idle, paused, starting), the activations waiting for one,"
                + " requests per second and cold starts, redrawn every interval until Ctrl-C.")
final class TopCommand extends ApiCommand {
    /** Clears a terminal and puts the cursor at its top. */
    private static final String CLEAR = "\033[H\033[2J";

    @Option(names = "--interval", paramLabel = "TIME", converter = Durations.class, defaultValue = "2s",
            description = "How often to redraw (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once", description = "Print one table and exit; requests per second need two looks, an"
            + " interval apart.")
    boolean once;

    @Override
    int run(CoveClient client) {
        if (interval.toMillis() < 100) {
            throw usage("--interval must be at least 100ms");
        }
        JsonNode before = client.load().json();
        long at = System.nanoTime();
        if (once && !json()) {
            draw(rows(before, Map.of(), 0), false);
            return 0;
        }
        while (pause()) {
            JsonNode now;
            try {
                now = client.load().json();
            } catch (CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return 0;
                }
                throw e;
            }
            long took = System.nanoTime() - at;
            at = System.nanoTime();
            if (json()) {
                out().println(Json.compact(now));
            } else {
                draw(rows(now, activations(before), took / 1e9), !once);
            }
            out().flush();
            before = now;
            if (once) {
                return 0;
            }
        }
        return 0;
    }

    private void draw(List<List<String>> rows, boolean clear) {
        if (clear) {
            out().print(CLEAR);
        }
        if (rows.isEmpty()) {
            out().println("no function has an instance (cove invoke NAME starts one)");
            return;
        }
        Output.table(List.of("NAME", "BUSY", "IDLE", "PAUSED", "STARTING", "WAITING", "REQ/S", "COLD STARTS"), rows)
                .forEach(out()::println);
    }

    /** Each function's activations so far, by name. */
    static Map<String, Long> activations(JsonNode load) {
        Map<String, Long> counts = new HashMap<>();
        load.forEach(f -> counts.put(Json.text(f, "name"), f.path("activations").asLong()));
        return counts;
    }

    /**
     * One row a function: its instances, its waiting activations, the activations that ended per second
     * since {@code before} ({@code seconds} ago; "-" when there is no earlier look), its cold starts.
     */
    static List<List<String>> rows(JsonNode load, Map<String, Long> before, double seconds) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode f : load) {
            String name = Json.text(f, "name");
            Long earlier = before.get(name);
            String rate = earlier == null || seconds <= 0 ? "-"
                    : String.format("%.1f", (f.path("activations").asLong() - earlier) / seconds);
            rows.add(List.of(name, Json.text(f, "busy"), Json.text(f, "idle"), Json.text(f, "paused"), Json.text(f, "starting"),
                    Json.text(f, "waiting"), rate, Json.text(f, "coldStarts")));
        }
        return rows;
    }

    /** Waits for the next look; false once interrupted (Ctrl-C, or a test that is done). */
    private boolean pause() {
        try {
            Thread.sleep(interval.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
