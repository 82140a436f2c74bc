package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cove workflow}: start an application's workflow and look at its executions. */
@Command(name = "workflow", description = "Start an application's workflow (the manifest's workflow:) and look at"
        + " its executions and their history of state transitions.",
        subcommands = {WorkflowCommand.Start.class, WorkflowCommand.ListExecutions.class, WorkflowCommand.Show.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Examples:", "  cove workflow start shop -p items '[{\"sku\": \"tea\"}]'",
            "  cove workflow executions shop", "  cove workflow execution 01a2060fac14c2f9491160e177e37ac5"})
final class WorkflowCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "start", description = "Start an application's workflow: wait for it and print its output"
            + " (and its status and the execution's id on stderr), or with --async print the execution's id.")
    static final class Start extends ApiCommand {
        @Parameters(paramLabel = "APPLICATION", description = "The application whose workflow to start.")
        String application;

        @Mixin
        ParameterOptions input = new ParameterOptions();

        @Option(names = "--async", description = "Do not wait: print the execution's id (default: wait for its output).")
        boolean async;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.startWorkflow(application, input.parameters(this::usage), !async);
            JsonNode execution = response.json();
            if (json()) {
                out().println(response.body());
            } else if (async || !execution.has("status")) {
                out().println(Json.text(execution, "executionId"));
            } else if (execution.path("status").asText().equals("SUCCEEDED")) {
                out().println(Json.pretty(execution.path("output")));
                // the id, for cove workflow execution, on stderr, so the output alone can be piped
                err().println("SUCCEEDED (execution " + Json.text(execution, "executionId") + ")");
            } else {
                err().println(Output.oneLine(Json.text(execution, "status") + ": " + Json.text(execution, "error")
                        + (execution.has("cause") ? ": " + Json.text(execution, "cause") : ""))
                        + " (execution " + Json.text(execution, "executionId") + ")");
            }
            return execution.has("status") && !execution.path("status").asText().equals("SUCCEEDED") ? 1 : 0;
        }
    }

    @Command(name = "executions", description = "List workflow executions, newest first.")
    static final class ListExecutions extends ApiCommand {
        @Parameters(paramLabel = "APPLICATION", arity = "0..1",
                description = "Only this application's executions (default: all).")
        Optional<String> application = Optional.empty();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "30",
                description = "At most this many executions, 1 to 200 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.listExecutions(application, limit);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode executions = response.json();
            if (executions.isEmpty()) {
                out().println("no workflow executions (cove workflow start APPLICATION starts one)");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : executions) {
                rows.add(List.of(Json.text(e, "executionId"), Json.text(e, "application"), Json.text(e, "status"),
                        Output.time(e.path("started").asLong(), ZoneId.systemDefault()), duration(e)));
            }
            Output.table(List.of("ID", "APPLICATION", "STATUS", "START", "DURATION"), rows).forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "execution", description = "Show a workflow execution: its status, input, output or error, and"
            + " its history of state transitions.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution's id.")
        String id;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.getExecution(id);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode e = response.json();
            out().println("execution   " + Json.text(e, "executionId"));
            out().println("workflow    " + Json.text(e, "application") + " " + Json.text(e, "version"));
            out().println("status      " + Json.text(e, "status") + (e.has("ended") ? " after " + duration(e) : ""));
            out().println("input       " + Json.compact(e.path("input")));
            if (e.has("output")) {
                out().println("output      " + Json.compact(e.path("output")));
            }
            if (e.has("error")) {
                out().println("error       " + Json.text(e, "error") + (e.has("cause") ? ": " + Json.text(e, "cause") : ""));
            }
            List<List<String>> rows = new ArrayList<>();
            long start = e.path("started").asLong();
            for (JsonNode event : e.path("history")) {
                long at = Instant.parse(Json.text(event, "timestamp")).toEpochMilli();
                String where = Json.text(event, "scope").isEmpty() ? Json.text(event, "state")
                        : Json.text(event, "scope") + "/" + Json.text(event, "state");
                rows.add(List.of("+" + (at - start) + " ms", Json.text(event, "type"), where, details(event)));
            }
            out().println();
            Output.table(List.of("AT", "EVENT", "STATE", "DETAILS"), rows).forEach(out()::println);
            return 0;
        }

        private static String details(JsonNode event) {
            JsonNode d = event.path("details");
            if (d.has("error")) {
                return Output.oneLine(Json.text(d, "error") + (d.has("cause") ? ": " + Json.text(d, "cause") : ""));
            }
            String text = d.has("output") ? Json.compact(d.path("output")) : d.has("resource")
                    ? Json.text(d, "resource") : d.has("input") ? Json.compact(d.path("input")) : "";
            return text.length() > 80 ? text.substring(0, 77) + "..." : text;
        }
    }

    private static String duration(JsonNode execution) {
        return execution.has("ended") ? (execution.path("ended").asLong() - execution.path("started").asLong()) + " ms" : "";
    }
}
