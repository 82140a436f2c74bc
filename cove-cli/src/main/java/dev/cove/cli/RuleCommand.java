package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cove rule}: each fire of a trigger invokes a function, or every function whose labels match. */
@Command(name = "rule", description = "Create, enable, disable, show and delete rules: while a rule is active,"
        + " each fire of its trigger invokes its function, or every function whose labels match its selector.",
        subcommands = {RuleCommand.Create.class, RuleCommand.Enable.class, RuleCommand.Disable.class,
            RuleCommand.Get.class, RuleCommand.ListRules.class, RuleCommand.Delete.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Examples:", "  cove rule create nightly-backup nightly backup",
            "  cove rule create scale replicas --function-selector 'created-by=cove,function in (a,b)'",
            "  cove rule disable nightly-backup"})
final class RuleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "create", description = "Create a rule, active: each fire of TRIGGER invokes FUNCTION, or with"
            + " --function-selector every function whose labels match then (cove deploy --label gives them labels).",
            footer = {"", "A selector reads as Kubernetes' do, terms separated by commas:",
                "  key=value, key!=value, key in (a,b), key notin (a,b), key, !key", "", "Examples:",
                "  cove rule create nightly-backup nightly backup",
                "  cove rule create scale replicas --function-selector 'created-by=cove,function in (a,b)'"})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The rule's name.")
        String name;

        @Parameters(index = "1", paramLabel = "TRIGGER", description = "The trigger's name; it must exist.")
        String trigger;

        @Parameters(index = "2", paramLabel = "FUNCTION", arity = "0..1",
                description = "The function's name; it must exist (or give a selector instead).")
        Optional<String> function = Optional.empty();

        @Option(names = "--function-selector", paramLabel = "SELECTOR",
                description = "Invoke every function whose labels match this selector at each fire, instead of"
                        + " FUNCTION: created-by=cove,function in (a,b) (default: none).")
        Optional<String> selector = Optional.empty();

        @Option(names = "--overwrite", description = "Replace a rule of that name if there is one; it keeps its"
                + " status (default: refuse to).")
        boolean overwrite;

        @Option(names = "--retries", paramLabel = "N", description = "Start an activation that failed again, up to"
                + " N times (0 to 10), 1 s apart doubling; what still failed is kept: cove trigger failures"
                + " TRIGGER (default: 0, keep nothing).")
        int retries;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.putRule(name, body(), overwrite);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode rule = response.json();
            out().println("created rule " + summary(rule));
            if (rule.path("warning").isTextual()) {
                err().println("warning: " + Json.text(rule, "warning"));
            }
            return 0;
        }

        /** The PUT body: the trigger and the function, or the selector that chooses functions. */
        ObjectNode body() {
            if (function.isPresent() == selector.isPresent()) {
                throw usage(function.isPresent()
                        ? "give FUNCTION or --function-selector, not both: a rule invokes one function or those that match"
                        : "Missing required parameter: 'FUNCTION' (or --function-selector SELECTOR to invoke every"
                                + " function whose labels match)");
            }
            if (selector.isPresent() && selector.get().isBlank()) {
                throw usage("--function-selector is blank: give a selector like function=downscale");
            }
            ObjectNode body = Json.MAPPER.createObjectNode().put("trigger", trigger);
            function.ifPresent(value -> body.put("action", value));
            selector.ifPresent(value -> body.put("selector", value));
            if (retries < 0 || retries > 10) {
                throw usage("--retries is 0 to 10, was " + retries);
            }
            if (retries > 0) {
                body.put("retries", retries);
            }
            return body;
        }
    }

    /** Sets a rule's status, and prints the rule as it is then. */
    abstract static class SetStatus extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The rule's name.")
        String name;

        private final boolean active;

        SetStatus(boolean active) {
            this.active = active;
        }

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.setRuleStatus(name, active);
            out().println(json() ? response.body() : "rule " + summary(response.json()));
            return 0;
        }
    }

    @Command(name = "enable", description = "Activate a rule: its trigger's fires invoke its function again.")
    static final class Enable extends SetStatus {
        Enable() {
            super(true);
        }
    }

    @Command(name = "disable", description = "Deactivate a rule: its trigger's fires no longer invoke its function.")
    static final class Disable extends SetStatus {
        Disable() {
            super(false);
        }
    }

    @Command(name = "get", description = "Show a rule: its trigger, its function or selector, and whether it is active.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The rule's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.getRule(name);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode rule = response.json();
            out().println("name        " + Json.text(rule, "name"));
            out().println("version     " + Json.text(rule, "version"));
            out().println("status      " + Json.text(rule, "status"));
            out().println("trigger     " + Json.text(rule.path("trigger"), "name"));
            if (rule.has("selector")) {
                out().println("selector    " + Json.text(rule, "selector"));
            } else {
                out().println("function    " + Json.text(rule.path("action"), "name"));
            }
            out().println("updated     " + Output.time(rule.path("updated").asLong(), ZoneId.systemDefault()));
            return 0;
        }
    }

    @Command(name = "list", description = "List the rules.")
    static final class ListRules extends ApiCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "30",
                description = "At most this many rules, 1 to 200 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
                description = "Leave out this many rules first (default: ${DEFAULT-VALUE}).")
        int skip;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.listRules(limit, skip);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode rules = response.json();
            if (rules.isEmpty()) {
                out().println("no rules (cove rule create NAME TRIGGER FUNCTION adds one)");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode rule : rules) {
                rows.add(List.of(Json.text(rule, "name"), Json.text(rule, "status"),
                        Json.text(rule.path("trigger"), "name"), target(rule)));
            }
            Output.table(List.of("NAME", "STATUS", "TRIGGER", "FUNCTION"), rows).forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a rule; its trigger and its function stay.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The rule's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.deleteRule(name);
            out().println(json() ? response.body() : "deleted rule " + name);
            return 0;
        }
    }

    /** {@code nightly-backup: nightly -> backup (active)}. */
    static String summary(JsonNode rule) {
        String retries = rule.path("retries").asInt(0) > 0 ? ", " + rule.path("retries").asInt() + " retries" : "";
        return Json.text(rule, "name") + ": " + Json.text(rule.path("trigger"), "name") + " -> " + target(rule) + " ("
                + Json.text(rule, "status") + retries + ")";
    }

    /** What a rule invokes: its function's name, or {@code functions where SELECTOR}. */
    static String target(JsonNode rule) {
        return rule.has("selector") ? "functions where " + Json.text(rule, "selector")
                : Json.text(rule.path("action"), "name");
    }
}
