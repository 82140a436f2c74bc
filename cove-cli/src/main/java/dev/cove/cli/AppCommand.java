package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cove app}: applications, the functions that are deployed and run together. */
@Command(name = "app", description = "Deploy, list, show and delete applications: functions deployed as one version"
        + " that share a sandbox and call each other over the local bus.",
        subcommands = {AppCommand.Deploy.class, AppCommand.ListApps.class, AppCommand.Get.class, AppCommand.Delete.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Examples:", "  cove app deploy examples/shop/cove.yaml", "  cove app get shop"})
final class AppCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "deploy", description = "Deploy an application from its manifest: all its functions or none,"
            + " as one new version. Functions its previous version had and the manifest hasn't are deleted.",
            footer = {"", "The manifest (YAML):",
                "  application: shop",
                "  functions:",
                "    cart: {file: cart.js, limits: {timeout: 30s, memory: 256}, parameters: {currency: EUR}}",
                "    pay:  {file: pay.py, runtime: python, env: {MODE: test}}",
                "  workflow: {StartAt: Cart, States: {Cart: {Type: Task, Resource: cart, End: true}}}"})
    static final class Deploy extends ApiCommand {
        @Parameters(paramLabel = "MANIFEST", description = "The application's manifest, e.g. cove.yaml; files are"
                + " relative to it.")
        Path file;

        @Override
        int run(CoveClient client) {
            Manifest manifest = Manifest.read(file);
            CoveClient.Response response = installing(manifest.installs(),
                    () -> client.putApplication(manifest.name(), manifest.body(), manifest.installs()));
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode app = response.json();
            List<String> functions = new ArrayList<>();
            app.path("functions").forEach(f -> functions.add(Json.text(f, "name") + " " + Json.text(f, "version")));
            out().printf("deployed %s as version %s: %s%n", Json.text(app, "name"), Json.text(app, "version"),
                    String.join(", ", functions));
            return 0;
        }
    }

    @Command(name = "list", description = "List the applications (a function deployed alone is not listed:"
            + " it is an application of one).")
    static final class ListApps extends ApiCommand {
        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.listApplications();
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode apps = response.json();
            if (apps.isEmpty()) {
                out().println("no applications deployed (cove app deploy cove.yaml adds one)");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode app : apps) {
                List<String> names = new ArrayList<>();
                app.path("functions").forEach(f -> names.add(f.asText()));
                rows.add(List.of(Json.text(app, "name"), Json.text(app, "version"), String.join(",", names),
                        app.path("workflow").asBoolean() ? "yes" : "no",
                        Output.time(app.path("updated").asLong(), ZoneId.systemDefault())));
            }
            Output.table(List.of("NAME", "VERSION", "FUNCTIONS", "WORKFLOW", "UPDATED"), rows).forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "get", description = "Show an application: its version, its functions and its workflow.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The application's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.getApplication(name);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode app = response.json();
            out().println("name        " + Json.text(app, "name"));
            out().println("version     " + Json.text(app, "version"));
            out().println("updated     " + Output.time(app.path("updated").asLong(), ZoneId.systemDefault()));
            for (JsonNode f : app.path("functions")) {
                out().println("function    " + Json.text(f, "name") + " " + Json.text(f, "version") + " ("
                        + Json.text(f.path("exec"), "kind") + ")");
            }
            if (app.has("workflow")) {
                out().println("workflow");
                out().println(Json.pretty(app.path("workflow")).indent(2).stripTrailing());
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an application and all its functions.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The application's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.deleteApplication(name);
            out().println(json() ? response.body() : "deleted " + name + " and its functions");
            return 0;
        }
    }
}
