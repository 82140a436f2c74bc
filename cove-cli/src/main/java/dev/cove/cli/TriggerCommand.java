package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
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

/**
 * {@code cove trigger}: named events that rules connect to functions, fired by a request, a schedule or a
 * topic's messages; and HTTP triggers, routes at which a function answers.
 */
@Command(name = "trigger", description = "Create, show, fire and delete triggers: named events that rules"
        + " (cove rule) connect to functions. A trigger fires when asked (cove trigger fire), by its schedule, or"
        + " with each message published on its topic (cove publish). An HTTP trigger routes a path to a function.",
        subcommands = {TriggerCommand.Create.class, TriggerCommand.Update.class, TriggerCommand.Get.class,
            TriggerCommand.ListTriggers.class, TriggerCommand.Fire.class, TriggerCommand.Delete.class,
            TriggerCommand.Failures.class, TriggerCommand.Redeliver.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Examples:",
            "  cove trigger create nightly --cron '0 3 * * *' --timezone Europe/Paris --payload '{\"full\": true}'",
            "  cove trigger create tick --interval 10m -p source tick",
            "  cove trigger create replicas --topic k8s_replicas",
            "  cove trigger create rescale --http /rescale --method POST --function rescale",
            "  cove rule create nightly-backup nightly backup",
            "  cove trigger fire nightly '{\"full\": false}'",
            "  cove trigger get nightly"})
final class TriggerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "create", description = "Create a trigger, with the parameters every fire passes to its rules'"
            + " functions (a fire's own payload wins) and, if given, a schedule it fires on by itself, a topic whose"
            + " messages fire it, or an HTTP route at which a function answers.",
            footer = {"", "Times are ISO-8601 with their offset (2026-12-24T18:00:00Z, 2026-12-24T19:00+01:00);"
                + " durations 30s, 10m, 1h.", "", "Examples:",
                "  cove trigger create order-placed -p source shop",
                "  cove trigger create nightly --cron '0 3 * * *' --timezone Europe/Paris --missed skip",
                "  cove trigger create reminder --once 2026-12-24T18:00:00Z --delete-after-fire",
                "  cove trigger create tick --interval 10m --start 2026-12-01T00:00:00Z --payload '{\"tick\": true}'",
                "  cove trigger create replicas --topic k8s_replicas",
                "  cove trigger create rescale --http /rescale --method POST --function rescale"})
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Mixin
        ParameterOptions input = new ParameterOptions();

        @Mixin
        ScheduleOptions schedule = new ScheduleOptions();

        @Mixin
        SourceOptions source = new SourceOptions();

        @Option(names = "--overwrite", description = "Replace a trigger of that name, all of it, if there is one"
                + " (default: refuse to).")
        boolean overwrite;

        @Override
        int run(CoveClient client) {
            return saved(this, client.putTrigger(name, body(), overwrite), "created");
        }

        /** The PUT body: with --overwrite, what the options leave out is removed from the trigger there is. */
        ObjectNode body() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("parameters", keyValues(input.parameters(this::usage)));
            if (schedule.given()) {
                body.set("schedule", schedule.schedule(Json.MAPPER.nullNode(), this::usage));
            } else if (overwrite) {
                body.putNull("schedule");
            }
            if (source.topicGiven()) {
                body.put("topic", source.topic(this::usage));
            } else if (overwrite) {
                body.putNull("topic");
            }
            if (source.httpGiven()) {
                body.set("http", source.http(Json.MAPPER.missingNode(), this::usage));
            } else if (overwrite) {
                body.putNull("http");
            }
            return body;
        }
    }

    @Command(name = "update", description = "Change a trigger: -p or --data replace its parameters, schedule"
            + " options change its schedule (a new --cron, --once or --interval replaces the one it had), --topic"
            + " its topic, and --http, --method or --function what its HTTP route has of them.",
            footer = {"", "Examples:", "  cove trigger update nightly --stop 2027-01-01T00:00:00Z",
                "  cove trigger update nightly --interval 1h", "  cove trigger update nightly --no-schedule",
                "  cove trigger update replicas --topic k8s_scale", "  cove trigger update rescale --method GET --method POST",
                "  cove trigger update rescale --no-http"})
    static final class Update extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Mixin
        ParameterOptions input = new ParameterOptions();

        @Mixin
        ScheduleOptions schedule = new ScheduleOptions();

        @Option(names = "--no-schedule", description = "Remove the trigger's schedule: it fires only when asked.")
        boolean noSchedule;

        @Mixin
        SourceOptions source = new SourceOptions();

        @Option(names = "--no-topic", description = "Remove the trigger's topic: messages no longer fire it.")
        boolean noTopic;

        @Option(names = "--no-http", description = "Remove the trigger's HTTP route: its path answers 404 again.")
        boolean noHttp;

        @Override
        int run(CoveClient client) {
            check();
            return saved(this, client.putTrigger(name, body(client.getTrigger(name).json()), true), "updated");
        }

        /** Refuses options that contradict each other, or none at all. */
        void check() {
            if (noSchedule && schedule.given()) {
                throw usage("--no-schedule removes the schedule: leave out the schedule's options");
            }
            if (noTopic && source.topicGiven()) {
                throw usage("--no-topic removes the topic: leave out --topic");
            }
            if (noHttp && source.httpGiven()) {
                throw usage("--no-http removes the HTTP route: leave out --http, --method and --function");
            }
            if (!noSchedule && !noTopic && !noHttp && !schedule.given() && !input.given() && !source.topicGiven()
                    && !source.httpGiven()) {
                throw usage("nothing to change: give -p, --data, schedule options, --topic, --http or a --no- option");
            }
        }

        /** The PUT body over {@code current}, the trigger as the server shows it: only what the options change. */
        ObjectNode body(JsonNode current) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            if (input.given()) {
                body.set("parameters", keyValues(input.parameters(this::usage)));
            }
            if (noSchedule) {
                body.putNull("schedule");
            } else if (schedule.given()) {
                body.set("schedule", schedule.schedule(current.path("schedule"), this::usage));
            }
            if (noTopic) {
                body.putNull("topic");
            } else if (source.topicGiven()) {
                body.put("topic", source.topic(this::usage));
            }
            if (noHttp) {
                body.putNull("http");
            } else if (source.httpGiven()) {
                body.set("http", source.http(current.path("http"), this::usage));
            }
            return body;
        }
    }

    /** What a create or an update prints: the trigger's name and version, and its next fire. */
    private static int saved(ApiCommand command, CoveClient.Response response, String done) {
        if (command.json()) {
            command.out().println(response.body());
            return 0;
        }
        JsonNode trigger = response.json();
        command.out().println(done + " trigger " + Json.text(trigger, "name") + " as version " + Json.text(trigger, "version")
                + nextFire(trigger, ZoneId.systemDefault()).map(at -> ", next fire " + at).orElse(""));
        return 0;
    }

    @Command(name = "get", description = "Show a trigger: its parameters, its schedule and next fire, its topic, its"
            + " HTTP route, and its rules.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.getTrigger(name);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            describe(response.json(), ZoneId.systemDefault()).forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "list", description = "List the triggers, with their schedules, topics, HTTP routes and next fires.")
    static final class ListTriggers extends ApiCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "30",
                description = "At most this many triggers, 1 to 200 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
                description = "Leave out this many triggers first (default: ${DEFAULT-VALUE}).")
        int skip;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.listTriggers(limit, skip);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            JsonNode triggers = response.json();
            if (triggers.isEmpty()) {
                out().println("no triggers (cove trigger create NAME adds one)");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode trigger : triggers) {
                rows.add(row(trigger, ZoneId.systemDefault()));
            }
            Output.table(List.of("NAME", "VERSION", "SCHEDULE", "TOPIC", "HTTP", "NEXT FIRE"), rows).forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "fire", description = "Fire a trigger: each of its active rules invokes its function, without"
            + " waiting, with the trigger's parameters overlaid by this payload. Prints the id of the trigger's"
            + " activation, whose logs name each rule's activation (cove activation ID).",
            footer = {"", "Examples:", "  cove trigger fire nightly", "  cove trigger fire nightly '{\"full\": true}'",
                "  cove trigger fire nightly -p full true"})
    static final class Fire extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Parameters(index = "1", paramLabel = "JSON|@FILE", arity = "0..1",
                description = "The payload, a JSON object, or @FILE to read it from a file (default: {}).")
        Optional<String> payloadJson = Optional.empty();

        @Mixin
        ParameterOptions input = new ParameterOptions();

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.fireTrigger(name, payload());
            if (response.status() == 204) {
                if (!json()) {
                    out().println("trigger " + name + " has no active rule: nothing ran");
                }
                return 0;
            }
            out().println(json() ? response.body() : Json.text(response.json(), "activationId"));
            return 0;
        }

        /** The JSON after NAME (or --data), then each -p over it. */
        ObjectNode payload() {
            if (payloadJson.isPresent()) {
                if (input.data.isPresent()) {
                    throw usage("give the payload once: as JSON after NAME, or with --data");
                }
                input.data = payloadJson;
            }
            return input.parameters(this::usage);
        }
    }

    @Command(name = "delete", description = "Delete a trigger and its schedule. Its rules stay, and fire nothing"
            + " until a trigger of that name is back (cove rule delete removes them).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.deleteTrigger(name);
            out().println(json() ? response.body() : "deleted trigger " + name);
            return 0;
        }
    }

    @Command(name = "failures", description = "List what a rule with retries (cove rule create --retries N) could"
            + " not get its function to do: each dead letter's id, rule, function, attempts and last error, newest"
            + " first. cove trigger redeliver delivers one again.")
    static final class Failures extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.triggerFailures(name);
            if (json()) {
                out().println(response.body());
                return 0;
            }
            if (response.json().isEmpty()) {
                out().println("trigger " + name + " has no failures");
            }
            for (JsonNode f : response.json()) {
                out().println(Json.text(f, "id") + "  " + Json.text(f, "at") + "  " + Json.text(f, "rule") + " -> "
                        + Json.text(f, "action") + "  " + f.path("attempts").asInt() + " attempts: "
                        + Json.text(f, "error"));
            }
            return 0;
        }
    }

    @Command(name = "redeliver", description = "Deliver a dead letter again: its function, as it is now, is invoked"
            + " with the fire's payload, with its rule's retries. Prints the new activation's id.")
    static final class Redeliver extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Parameters(index = "1", paramLabel = "ID", description = "The failure's id (cove trigger failures NAME).")
        String id;

        @Override
        int run(CoveClient client) {
            CoveClient.Response response = client.redeliver(name, id);
            out().println(json() ? response.body() : Json.text(response.json(), "activationId"));
            return 0;
        }
    }

    /** Parameters as OpenWhisk's {@code [{"key": …, "value": …}]}. */
    static ArrayNode keyValues(ObjectNode parameters) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        parameters.properties().forEach(e -> list.addObject().put("key", e.getKey()).set("value", e.getValue()));
        return list;
    }

    /** The trigger as a row of {@code cove trigger list}, its times in {@code zone}. */
    static List<String> row(JsonNode trigger, ZoneId zone) {
        return List.of(Json.text(trigger, "name"), Json.text(trigger, "version"), scheduleOf(trigger.path("schedule"), zone),
                trigger.path("topic").isTextual() ? Json.text(trigger, "topic") : "",
                trigger.path("http").isObject() ? SourceOptions.routeOf(trigger.path("http")) : "",
                nextFire(trigger, zone).orElse(""));
    }

    /** The trigger as lines of text for a person, its times in {@code zone}. */
    static List<String> describe(JsonNode trigger, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add("name        " + Json.text(trigger, "name"));
        lines.add("version     " + Json.text(trigger, "version"));
        for (JsonNode parameter : trigger.path("parameters")) {
            lines.add("parameter   " + Json.text(parameter, "key") + " = " + Json.compact(parameter.path("value")));
        }
        for (JsonNode annotation : trigger.path("annotations")) {
            if (Json.text(annotation, "key").equals("feed")) {
                lines.add("feed        " + Json.text(annotation, "value"));
            }
        }
        JsonNode schedule = trigger.path("schedule");
        if (schedule.isObject()) {
            lines.add("schedule    " + scheduleOf(schedule, zone) + window(schedule, zone));
            lines.add("missed      " + (Json.text(schedule, "missed").equals("skip") ? "skipped at a start"
                    : "fired once at a start"));
            lines.add("payload     " + Json.compact(schedule.path("payload")));
        }
        nextFire(trigger, zone).ifPresent(at -> lines.add("next fire   " + at));
        if (trigger.path("topic").isTextual()) {
            lines.add("topic       " + Json.text(trigger, "topic"));
        }
        if (trigger.path("http").isObject()) {
            lines.add("http        " + SourceOptions.routeOf(trigger.path("http")));
        }
        trigger.path("rules").properties().forEach(rule -> lines.add("rule        " + rule.getKey().replaceFirst(".*/", "")
                + " -> " + RuleCommand.target(rule.getValue()) + " (" + Json.text(rule.getValue(), "status") + ")"));
        long updated = trigger.path("updated").asLong();
        if (updated > 0) {
            lines.add("updated     " + Output.time(updated, zone));
        }
        return lines;
    }

    /** One phrase: {@code cron 0 3 * * * (Europe/Paris)}, {@code once at …}, {@code every 10m}; empty for none. */
    static String scheduleOf(JsonNode schedule, ZoneId zone) {
        if (schedule.has("cron")) {
            return "cron " + Json.text(schedule, "cron") + " (" + Json.text(schedule, "timezone") + ")";
        }
        if (schedule.has("once")) {
            return "once at " + time(schedule, "once", zone)
                    + (schedule.path("deleteAfterFire").asBoolean() ? ", then deleted with its rules" : "");
        }
        if (schedule.has("interval")) {
            return "every " + Durations.text(Duration.parse(Json.text(schedule, "interval")));
        }
        return "";
    }

    private static String window(JsonNode schedule, ZoneId zone) {
        return (schedule.has("start") ? ", from " + time(schedule, "start", zone) : "")
                + (schedule.has("stop") ? ", until " + time(schedule, "stop", zone) : "");
    }

    private static Optional<String> nextFire(JsonNode trigger, ZoneId zone) {
        return trigger.has("nextFire") ? Optional.of(time(trigger, "nextFire", zone)) : Optional.empty();
    }

    private static String time(JsonNode node, String field, ZoneId zone) {
        return Output.time(Instant.parse(Json.text(node, field)).toEpochMilli(), zone);
    }
}
