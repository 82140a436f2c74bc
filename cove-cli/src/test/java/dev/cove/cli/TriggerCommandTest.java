package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cove trigger} and {@code cove rule}'s options as they become the REST API's JSON, and their refusals. */
class TriggerCommandTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() {
        // a server that is never reached: every case here ends before a request
        cli = Cli.with(Map.of("COVE_APIHOST", "http://127.0.0.1:9", "COVE_AUTH", "u:k"), dir.resolve("config.json"));
    }

    /** The schedule {@code trigger create ARGS} sends. */
    private JsonNode schedule(String... args) {
        String[] line = new String[args.length + 3];
        line[0] = "trigger";
        line[1] = "create";
        line[2] = "t";
        System.arraycopy(args, 0, line, 3, args.length);
        TriggerCommand.Create create = cli.parse(TriggerCommand.Create.class, line);
        return create.schedule.schedule(Json.MAPPER.nullNode(), IllegalArgumentException::new);
    }

    private static JsonNode json(String text) {
        return Json.parse(text).orElseThrow();
    }

    @Test
    void aCronScheduleCarriesItsZoneBoundsAndPayload() {
        assertThat(schedule("--cron", "0 3 * * *", "--timezone", "Europe/Paris", "--start", "2030-01-01T00:00+01:00",
                "--stop", "2030-02-01T00:00:00Z", "--missed", "SKIP", "--payload", "{\"full\": true}"))
                .isEqualTo(json("""
                        {"cron": "0 3 * * *", "deleteAfterFire": false, "timezone": "Europe/Paris",
                         "start": "2029-12-31T23:00:00Z", "stop": "2030-02-01T00:00:00Z", "missed": "skip",
                         "payload": {"full": true}}"""));
    }

    @Test
    void onceAndIntervalSchedules() {
        assertThat(schedule("--once", "2030-12-24T18:00:00Z", "--delete-after-fire"))
                .isEqualTo(json("{\"once\": \"2030-12-24T18:00:00Z\", \"deleteAfterFire\": true}"));
        assertThat(schedule("--interval", "10m")).isEqualTo(json("{\"interval\": \"PT10M\", \"deleteAfterFire\": false}"));
    }

    @Test
    void anUpdateChangesWhatItGivesOfTheScheduleThereIs() {
        JsonNode current = json("{\"cron\": \"0 3 * * *\", \"timezone\": \"Europe/Paris\", \"deleteAfterFire\": false,"
                + " \"missed\": \"once\", \"payload\": {\"a\": 1}}");
        TriggerCommand.Update stop = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--stop",
                "2031-01-01T00:00:00Z");
        TriggerCommand.Update every = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--interval", "30s");

        assertThat(stop.schedule.schedule(current, IllegalArgumentException::new)).isEqualTo(json("{\"cron\": \"0 3 * * *\","
                + " \"timezone\": \"Europe/Paris\", \"deleteAfterFire\": false, \"missed\": \"once\", \"payload\": {\"a\": 1},"
                + " \"stop\": \"2031-01-01T00:00:00Z\"}"));
        assertThat(every.schedule.schedule(current, IllegalArgumentException::new)).isEqualTo(json("{\"interval\": \"PT30S\","
                + " \"timezone\": \"Europe/Paris\", \"deleteAfterFire\": false, \"missed\": \"once\", \"payload\": {\"a\": 1}}"));
    }

    @Test
    void aScheduleNeedsAKindAndDeleteAfterFireNeedsOnce() {
        assertThatThrownBy(() -> schedule("--timezone", "UTC")).hasMessage("a schedule needs --cron, --once or --interval");
        assertThatThrownBy(() -> schedule("--cron", "* * * * *", "--delete-after-fire"))
                .hasMessage("--delete-after-fire goes with --once: only a trigger that fires once deletes itself");
        assertThatThrownBy(() -> schedule("--cron", "* * * * *", "--missed", "later"))
                .hasMessage("--missed is once or skip, was 'later'");
        assertThatThrownBy(() -> schedule("--cron", "* * * * *", "--payload", "[1]"))
                .hasMessage("--payload must be a JSON object like {\"name\": \"Ada\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--once|tomorrow|Invalid value for option '--once': 'tomorrow' is not an ISO-8601 time with its offset, like"
            + " 2026-12-24T18:00:00Z or 2026-12-24T19:00+01:00",
        "--start|2030-01-01T00:00|Invalid value for option '--start': '2030-01-01T00:00' is not an ISO-8601 time with"
            + " its offset, like 2026-12-24T18:00:00Z or 2026-12-24T19:00+01:00",
        "--timezone|Mars/Olympus|Invalid value for option '--timezone': 'Mars/Olympus' is not a time zone like"
            + " Europe/Paris, UTC or +01:00",
        "--interval|soon|Invalid value for option '--interval': 'soon' is not a duration like 500ms, 30s, 2m, 1h or 60000",
    })
    void aBadTimeZoneOrDurationIsAUsageErrorThatSaysWhy(String option, String value, String message) {
        Cli.Result result = cli.run("trigger", "create", "t", option, value);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith(message + "\n").contains("Try 'cove trigger create --help'");
    }

    @Test
    void twoKindsOfScheduleAreAUsageError() {
        Cli.Result result = cli.run("trigger", "create", "t", "--cron", "* * * * *", "--interval", "1m");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mutually exclusive");
    }

    @Test
    void aFiresPayloadIsTheJsonAfterItsNameWithEachParameterOverIt() {
        TriggerCommand.Fire fire = cli.parse(TriggerCommand.Fire.class, "trigger", "fire", "t", "{\"a\": 1, \"b\": 1}",
                "-p", "b", "2");
        TriggerCommand.Fire bare = cli.parse(TriggerCommand.Fire.class, "trigger", "fire", "t");

        assertThat(fire.name).isEqualTo("t");
        assertThat(fire.payload()).isEqualTo(json("{\"a\": 1, \"b\": 2}"));
        assertThat(bare.payload()).isEqualTo(json("{}"));
    }

    @Test
    void commandsThatCanNotSayWhatTheyMeanAreUsageErrors() {
        Cli.Result nothing = cli.run("trigger", "update", "t");
        Cli.Result both = cli.run("trigger", "update", "t", "--no-schedule", "--cron", "* * * * *");
        Cli.Result twice = cli.run("trigger", "fire", "t", "{}", "--data", "{}");
        Cli.Result badCron = cli.run("trigger", "create", "t", "--cron", "* * * * *", "--delete-after-fire");
        Cli.Result noFunction = cli.run("rule", "create", "r", "t");
        Cli.Result functionAndSelector = cli.run("rule", "create", "r", "t", "f", "--function-selector", "a=b");
        Cli.Result blankSelector = cli.run("rule", "create", "r", "t", "--function-selector", " ");

        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).startsWith("nothing to change: give -p, --data, schedule options, --topic, --http or a"
                + " --no- option\n");
        assertThat(both.err()).startsWith("--no-schedule removes the schedule: leave out the schedule's options\n");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).startsWith("give the payload once: as JSON after NAME, or with --data\n");
        assertThat(badCron.exitCode()).isEqualTo(2);
        assertThat(noFunction.exitCode()).isEqualTo(2);
        assertThat(noFunction.err()).startsWith("Missing required parameter: 'FUNCTION' (or --function-selector SELECTOR"
                + " to invoke every function whose labels match)\n").contains("Try 'cove rule create --help'");
        assertThat(functionAndSelector.exitCode()).isEqualTo(2);
        assertThat(functionAndSelector.err()).startsWith("give FUNCTION or --function-selector, not both");
        assertThat(blankSelector.err()).startsWith("--function-selector is blank: give a selector like function=downscale\n");
    }

    @Test
    void aTopicAndAnHttpRouteGoInTheBody() {
        TriggerCommand.Create create = cli.parse(TriggerCommand.Create.class, "trigger", "create", "t", "--topic",
                "k8s_replicas", "--http", "/rescale", "--method", "post", "--method", "PUT", "--function", "rescale");
        TriggerCommand.Create any = cli.parse(TriggerCommand.Create.class, "trigger", "create", "t", "--http", "/r",
                "--function", "f");

        assertThat(create.body()).isEqualTo(json("""
                {"parameters": [], "topic": "k8s_replicas",
                 "http": {"path": "/rescale", "function": "rescale", "methods": ["POST", "PUT"]}}"""));
        assertThat(any.body().path("http")).isEqualTo(json("{\"path\": \"/r\", \"function\": \"f\", \"methods\": []}"));
    }

    @Test
    void anOverwriteRemovesWhatItLeavesOut() {
        TriggerCommand.Create create = cli.parse(TriggerCommand.Create.class, "trigger", "create", "t", "--overwrite");

        assertThat(create.body()).isEqualTo(json("{\"parameters\": [], \"schedule\": null, \"topic\": null, \"http\": null}"));
    }

    @Test
    void anUpdateChangesWhatItGivesOfTheRouteThereIsAndRemovesWithNo() {
        JsonNode current = json("{\"topic\": \"a\", \"http\": {\"path\": \"/r\", \"methods\": [\"POST\"], \"function\": \"f\"}}");
        TriggerCommand.Update methods = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--method", "get",
                "--method", "post");
        TriggerCommand.Update function = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--function", "g");
        TriggerCommand.Update remove = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--no-topic",
                "--no-http");
        TriggerCommand.Update topic = cli.parse(TriggerCommand.Update.class, "trigger", "update", "t", "--topic", "b");

        assertThat(methods.body(current)).isEqualTo(json("{\"http\": {\"path\": \"/r\", \"methods\": [\"GET\", \"POST\"],"
                + " \"function\": \"f\"}}"));
        assertThat(function.body(current)).isEqualTo(json("{\"http\": {\"path\": \"/r\", \"methods\": [\"POST\"],"
                + " \"function\": \"g\"}}"));
        assertThat(remove.body(current)).isEqualTo(json("{\"topic\": null, \"http\": null}"));
        assertThat(topic.body(current)).isEqualTo(json("{\"topic\": \"b\"}"));
    }

    @Test
    void aRouteNeedsAPathAndAFunctionAndNoOptionsContradictThemselves() {
        assertThat(cli.run("trigger", "create", "t", "--http", "/r").err())
                .startsWith("--http needs --function FUNCTION: the function that answers at /r\n");
        assertThat(cli.run("trigger", "create", "t", "--function", "f").err())
                .startsWith("--method and --function go with --http PATH: the path the function answers at\n");
        assertThat(cli.run("trigger", "create", "t", "--topic", "").err()).startsWith("--topic is blank: give the topic's name\n");
        Cli.Result topic = cli.run("trigger", "update", "t", "--topic", "a", "--no-topic");
        Cli.Result http = cli.run("trigger", "update", "t", "--no-http", "--method", "GET");

        assertThat(topic.exitCode()).isEqualTo(2);
        assertThat(topic.err()).startsWith("--no-topic removes the topic: leave out --topic\n");
        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.err()).startsWith("--no-http removes the HTTP route: leave out --http, --method and --function\n");
    }

    @Test
    void aRuleNamesAFunctionOrASelector() {
        RuleCommand.Create function = cli.parse(RuleCommand.Create.class, "rule", "create", "r", "t", "f");
        RuleCommand.Create selector = cli.parse(RuleCommand.Create.class, "rule", "create", "r", "t",
                "--function-selector", "created-by=cove,function in (a,b)");

        assertThat(function.body()).isEqualTo(json("{\"trigger\": \"t\", \"action\": \"f\"}"));
        assertThat(selector.body()).isEqualTo(json("{\"trigger\": \"t\", \"selector\": \"created-by=cove,function in (a,b)\"}"));
        assertThat(RuleCommand.summary(json("{\"name\": \"r\", \"trigger\": {\"name\": \"t\"}, \"selector\": \"a=b\","
                + " \"status\": \"active\"}"))).isEqualTo("r: t -> functions where a=b (active)");
        RuleCommand.Create retrying = cli.parse(RuleCommand.Create.class, "rule", "create", "r", "t", "f", "--retries", "3");
        assertThat(retrying.body()).isEqualTo(json("{\"trigger\": \"t\", \"action\": \"f\", \"retries\": 3}"));
        assertThat(RuleCommand.summary(json("{\"name\": \"r\", \"trigger\": {\"name\": \"t\"}, \"action\": {\"name\": \"f\"},"
                + " \"status\": \"active\", \"retries\": 3}"))).isEqualTo("r: t -> f (active, 3 retries)");
    }

    @Test
    void aMessagesOutcomeSaysHowManyTriggersItFired() {
        assertThat(PublishCommand.outcome(json("{\"eventId\": \"e1\", \"fired\": [\"a\", \"b\"], \"duplicate\": false}"), "t"))
                .isEqualTo("event e1: fired 2 triggers");
        assertThat(PublishCommand.outcome(json("{\"eventId\": \"e1\", \"fired\": [\"a\"], \"duplicate\": false}"), "t"))
                .isEqualTo("event e1: fired 1 trigger");
        assertThat(PublishCommand.outcome(json("{\"eventId\": \"e1\", \"fired\": [], \"duplicate\": false}"), "t"))
                .isEqualTo("event e1: fired no trigger (cove trigger create NAME --topic t adds one)");
        assertThat(PublishCommand.outcome(json("{\"eventId\": \"e1\", \"fired\": [], \"duplicate\": true}"), "t"))
                .startsWith("event e1: duplicate: nothing fired");
    }

    @Test
    void aMessageIsTheJsonAfterItsTopicWithEachParameterOverIt() {
        PublishCommand publish = cli.parse(PublishCommand.class, "publish", "t", "{\"a\": 1, \"b\": 1}", "-p", "b", "2",
                "--event-id", "e1");

        assertThat(publish.message()).isEqualTo(json("{\"a\": 1, \"b\": 2}"));
        assertThat(publish.eventId).contains("e1");
        assertThat(cli.run("publish", "t", "{}", "--data", "{}").err())
                .startsWith("give the message once: as JSON after TOPIC, or with --data\n");
        assertThat(cli.run("publish", "t", "[1]").err()).startsWith("--data must be a JSON object like {\"name\": \"Ada\"}\n");
        assertThat(cli.run("publish", "t", "--event-id", "").err())
                .startsWith("--event-id is blank: give an id, or leave the option out\n");
    }

    @Test
    void aTriggerIsDescribedWithItsScheduleNextFireAndRules() {
        JsonNode trigger = json("""
                {"name": "nightly", "version": "0.0.2", "parameters": [{"key": "full", "value": true}],
                 "annotations": [{"key": "feed", "value": "/whisk.system/alarms/alarm"}],
                 "schedule": {"cron": "0 3 * * *", "timezone": "Europe/Paris", "stop": "2031-01-01T00:00:00Z",
                              "deleteAfterFire": false, "missed": "skip", "payload": {"a": 1}},
                 "nextFire": "2030-06-01T01:00:00Z",
                 "topic": "nightly_jobs", "http": {"path": "/backup", "methods": ["POST"], "function": "backup"},
                 "rules": {"guest/backup": {"action": {"path": "guest", "name": "backup"}, "status": "active"},
                           "guest/audit": {"selector": "audit=yes", "status": "inactive"}},
                 "updated": 1900000000000}""");

        assertThat(TriggerCommand.describe(trigger, ZoneId.of("UTC"))).containsExactly(
                "name        nightly",
                "version     0.0.2",
                "parameter   full = true",
                "feed        /whisk.system/alarms/alarm",
                "schedule    cron 0 3 * * * (Europe/Paris), until 2031-01-01 00:00:00",
                "missed      skipped at a start",
                "payload     {\"a\":1}",
                "next fire   2030-06-01 01:00:00",
                "topic       nightly_jobs",
                "http        POST /backup -> backup",
                "rule        backup -> backup (active)",
                "rule        audit -> functions where audit=yes (inactive)",
                "updated     2030-03-17 17:46:40");
    }

    @Test
    void schedulesAreOnePhraseEach() {
        ZoneId utc = ZoneId.of("UTC");
        assertThat(TriggerCommand.scheduleOf(json("{\"interval\": \"PT1H30M\"}"), utc)).isEqualTo("every 90m");
        assertThat(TriggerCommand.scheduleOf(json("{\"once\": \"2030-12-24T18:00:00Z\", \"deleteAfterFire\": true}"), utc))
                .isEqualTo("once at 2030-12-24 18:00:00, then deleted with its rules");
        assertThat(TriggerCommand.scheduleOf(json("{}"), utc)).isEmpty();
    }

    @Test
    void aListRowShowsTheTopicAndTheRouteAnyMethodAsAStar() {
        assertThat(TriggerCommand.row(json("{\"name\": \"t\", \"version\": \"0.0.1\", \"topic\": \"k\","
                + " \"http\": {\"path\": \"/r\", \"methods\": [], \"function\": \"f\"}}"), ZoneId.of("UTC")))
                .containsExactly("t", "0.0.1", "", "k", "* /r -> f", "");
    }
}
