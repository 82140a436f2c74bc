package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cove cache}: what the functions' caches hold and how well they do, and clearing one. */
@Command(name = "cache", description = "Show the functions' caches (hits, misses, evictions, entries, bytes) or clear one.",
        subcommands = {CacheCommand.Stats.class, CacheCommand.Clear.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Examples:", "  cove cache stats", "  cove cache stats tile", "  cove cache clear tile"})
final class CacheCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "stats", description = "Hits, misses, evictions, entries and bytes of each function's cache"
            + " and of each application's shared one.")
    static final class Stats extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this function's (default: all).")
        Optional<String> name = Optional.empty();

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.cacheStats(name);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode scopes = response.json();
            if (scopes.isEmpty()) {
                out().println(name.map(n -> "nothing cached by " + n).orElse("nothing cached yet"));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode s : scopes) {
                String owner = s.has("function") ? Json.text(s, "function") : "(application " + Json.text(s, "application") + ")";
                rows.add(List.of(owner, Json.text(s, "hits"), Json.text(s, "misses"), hitRate(s), Json.text(s, "evictions"),
                        Json.text(s, "entries"), Json.text(s, "bytes")));
            }
            Output.table(List.of("CACHE", "HITS", "MISSES", "HIT RATE", "EVICTIONS", "ENTRIES", "BYTES"), rows)
                    .forEach(out()::println);
            return 0;
        }

        private static String hitRate(JsonNode s) {
            long hits = s.path("hits").asLong();
            long total = hits + s.path("misses").asLong();
            return total == 0 ? "-" : Math.round(100.0 * hits / total) + "%";
        }
    }

    @Command(name = "clear", description = "Delete every entry of a function's cache (with --app, of its"
            + " application's shared one).")
    static final class Clear extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The function's name.")
        String name;

        @Option(names = "--app", description = "Clear the shared entries of the function's application instead.")
        boolean app;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.clearCache(name, app);
            out().println(json() ? response.body() : "cleared the cache of " + (app ? "the application of " : "") + name);
            return 0;
        }
    }
}
