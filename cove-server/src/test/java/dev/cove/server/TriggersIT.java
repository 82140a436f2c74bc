package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triggers, rules and the alarms feed over real HTTP to a real server (docs/rest-api.md): fires with
 * payloads, the activations they leave, the refusals, and a schedule that fires by itself.
 */
class TriggersIT {
    static final String ECHO = "function main(p) { return p; }";
    static final String TRIGGERS = "/api/v1/namespaces/_/triggers/";
    static final String RULES = "/api/v1/namespaces/_/rules/";
    static final String ALARM = "/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true";

    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dir);
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    static ObjectNode object() {
        return TestCove.object();
    }

    static ObjectNode withParameters(String key, Object value) {
        ObjectNode body = object();
        body.putArray("parameters").addObject().put("key", key).set("value", TestCove.JSON.valueToTree(value));
        return body;
    }

    static ObjectNode rule(String trigger, String action) {
        return object().put("trigger", trigger).put("action", action);
    }

    /** A trigger and a function echoing its parameters, joined by an active rule. */
    static void triggerWithRule(String trigger, ObjectNode triggerBody, String rule, String function) throws Exception {
        assertThat(cove.deploy(function, "nodejs:default", ECHO, object()).status()).isEqualTo(200);
        TestCove.Answer created = cove.put(TRIGGERS + trigger, triggerBody);
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        TestCove.Answer linked = cove.put(RULES + rule, rule("/_/" + trigger, function));
        assertThat(linked.status()).as(linked.json().toString()).isEqualTo(200);
    }

    @Test
    void aFireRunsTheRulesFunctionWithThePayloadOverTheTriggersParameters() throws Exception {
        ObjectNode body = withParameters("who", "trigger");
        body.withArray("parameters").addObject().put("key", "kept").put("value", 1);
        triggerWithRule("order-placed", body, "order-mail", "order-echo");

        TestCove.Answer fired = cove.post(TRIGGERS + "order-placed", object().put("who", "payload").put("extra", true));

        assertThat(fired.status()).isEqualTo(202);
        String triggerActivation = fired.json().path("activationId").asText();
        assertThat(triggerActivation).matches("[0-9a-f]{32}");
        assertThat(fired.header("x-openwhisk-activation-id")).isEqualTo(triggerActivation);
        ObjectNode expected = object().put("who", "payload").put("kept", 1).put("extra", true);
        JsonNode recorded = cove.activation(triggerActivation);
        assertThat(recorded.path("name").asText()).isEqualTo("order-placed");
        assertThat(recorded.path("response").path("result")).as("the trigger's activation: what it was fired with")
                .isEqualTo(object().put("who", "payload").put("extra", true));
        assertThat(recorded.path("logs")).hasSize(1);
        JsonNode ruleLine = TestCove.JSON.readTree(recorded.path("logs").get(0).asText());
        assertThat(ruleLine.path("rule").asText()).isEqualTo("guest/order-mail");
        assertThat(ruleLine.path("success").asBoolean()).isTrue();
        JsonNode functionActivation = eventually(() -> cove.get("/api/v1/namespaces/_/activations/"
                + ruleLine.path("activationId").asText()), answer -> answer.status() == 200).json();
        assertThat(functionActivation.path("name").asText()).isEqualTo("order-echo");
        assertThat(functionActivation.path("response").path("result")).isEqualTo(expected);
        assertThat(TestCove.causedBy(functionActivation)).isEqualTo(triggerActivation);
    }

    @Test
    void aTriggerShowsItsRulesAndARuleItsTriggerAndFunction() throws Exception {
        triggerWithRule("shown", object(), "shown-rule", "shown-echo");

        JsonNode trigger = cove.get(TRIGGERS + "shown").json();
        JsonNode rule = cove.get(RULES + "shown-rule").json();

        assertThat(trigger.path("namespace").asText()).isEqualTo("guest");
        assertThat(trigger.path("version").asText()).isEqualTo("0.0.1");
        assertThat(trigger.path("limits")).isEqualTo(object());
        assertThat(trigger.path("rules").toString()).isEqualTo(
                "{\"guest/shown-rule\":{\"action\":{\"path\":\"guest\",\"name\":\"shown-echo\"},\"status\":\"active\"}}");
        assertThat(trigger.has("schedule")).isFalse();
        assertThat(rule.path("status").asText()).isEqualTo("active");
        assertThat(rule.path("trigger").toString()).isEqualTo("{\"path\":\"guest\",\"name\":\"shown\"}");
        assertThat(rule.path("action").toString()).isEqualTo("{\"path\":\"guest\",\"name\":\"shown-echo\"}");
        assertThat(cove.get("/api/v1/namespaces/_/rules").json().findValuesAsText("name")).contains("shown-rule");
    }

    @Test
    void anInactiveRuleRunsNothingUntilItIsActiveAgain() throws Exception {
        triggerWithRule("paused", object(), "paused-rule", "paused-echo");

        TestCove.Answer disabled = cove.post(RULES + "paused-rule", object().put("status", "inactive"));
        TestCove.Answer quiet = cove.post(TRIGGERS + "paused", object());
        TestCove.Answer enabled = cove.post(RULES + "paused-rule", object().put("status", "active"));
        TestCove.Answer fired = cove.post(TRIGGERS + "paused", object());

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().path("status").asText()).isEqualTo("inactive");
        assertThat(quiet.status()).isEqualTo(204);
        assertThat(quiet.raw().body()).isEmpty();
        assertThat(enabled.json().path("status").asText()).isEqualTo("active");
        assertThat(fired.status()).isEqualTo(202);
        TestCove.Answer badStatus = cove.post(RULES + "paused-rule", object().put("status", "sleeping"));
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("error").asText())
                .isEqualTo("'sleeping' is not a recognized rule state, must be one of ['active', 'inactive']");
    }

    @Test
    void whatDoesNotExistIsA404() throws Exception {
        cove.put(TRIGGERS + "lonely", object());
        assertThat(cove.deploy("there", "nodejs:default", ECHO, object()).status()).isEqualTo(200);

        TestCove.Answer noFunction = cove.put(RULES + "to-nowhere", rule("lonely", "nowhere"));
        TestCove.Answer noTrigger = cove.put(RULES + "from-nowhere", rule("/guest/nothing", "there"));

        assertThat(cove.post(TRIGGERS + "missing", object()).status()).isEqualTo(404);
        assertThat(cove.get(TRIGGERS + "missing").status()).isEqualTo(404);
        assertThat(cove.delete(TRIGGERS + "missing").status()).isEqualTo(404);
        assertThat(noFunction.status()).isEqualTo(404);
        assertThat(noFunction.json().path("error").asText()).isEqualTo("The function nowhere does not exist.");
        assertThat(noTrigger.status()).isEqualTo(404);
        assertThat(noTrigger.json().path("error").asText()).isEqualTo("The trigger nothing does not exist.");
        assertThat(cove.get(RULES + "to-nowhere").status()).isEqualTo(404);
        assertThat(cove.post(RULES + "to-nowhere", object().put("status", "active")).status()).isEqualTo(404);
        assertThat(cove.put(RULES + "elsewhere", rule("/someone/lonely", "there")).status()).isEqualTo(403);
    }

    @Test
    void aSecondPutWithoutOverwriteIsAConflictAndAnUpdateKeepsWhatItLeavesOut() throws Exception {
        triggerWithRule("twice", withParameters("a", 1), "twice-rule", "twice-echo");

        TestCove.Answer again = cove.put(TRIGGERS + "twice", object());
        TestCove.Answer ruleAgain = cove.put(RULES + "twice-rule", rule("twice", "twice-echo"));
        ObjectNode annotated = object();
        annotated.putArray("annotations").addObject().put("key", "description").put("value", "updated");
        TestCove.Answer updated = cove.put(TRIGGERS + "twice?overwrite=true", annotated);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asText()).contains("The trigger twice exists already");
        assertThat(ruleAgain.status()).isEqualTo(409);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("version").asText()).isEqualTo("0.0.2");
        assertThat(updated.json().path("parameters").toString()).isEqualTo("[{\"key\":\"a\",\"value\":1}]");
        assertThat(updated.json().path("annotations").toString())
                .isEqualTo("[{\"key\":\"description\",\"value\":\"updated\"}]");
        assertThat(updated.json().path("rules").has("guest/twice-rule")).isTrue();
    }

    @Test
    void aScheduleThatDoesNotReadIsA400ThatNamesIt() throws Exception {
        assertRefused(object().put("cron", "61 * * * *"), "The cron expression '61 * * * *' is not valid");
        assertRefused(object().put("cron", "* *"), "The cron expression '* *' is not valid: it has 2 fields");
        assertRefused(object().put("cron", "* * * * *").put("timezone", "Mars/Olympus"),
                "schedule.timezone must be a time zone like Europe/Paris or UTC, was 'Mars/Olympus'");
        assertRefused(object().put("once", "tomorrow"), "schedule.once must be an ISO-8601 time");
        assertRefused(object().put("once", "2001-01-01T00:00:00Z"),
                "schedule.once must be in the future, was 2001-01-01T00:00:00Z");
        assertRefused(object().put("interval", "PT0.5S"), "An interval is at least 1 s; was 500 ms.");
        assertRefused(object().put("cron", "* * * * *").put("interval", "PT1M"),
                "A schedule is one of a cron expression, one time, or an interval; 2 were given.");
        assertThat(cove.get(TRIGGERS + "refused").status()).as("nothing stored").isEqualTo(404);
    }

    private static void assertRefused(ObjectNode schedule, String message) throws Exception {
        ObjectNode body = object();
        body.set("schedule", schedule);
        TestCove.Answer answer = cove.put(TRIGGERS + "refused", body);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith(message);
    }

    @Test
    void aTriggerOnACronOfEverySecondFiresByItself() throws Exception {
        ObjectNode body = object();
        body.putObject("schedule").put("cron", "* * * * * *").putObject("payload").put("tick", true);
        triggerWithRule("every-second", body, "every-second-rule", "every-second-echo");
        try {
            JsonNode shown = cove.get(TRIGGERS + "every-second").json();
            assertThat(shown.path("schedule").path("cron").asText()).isEqualTo("* * * * * *");
            assertThat(shown.path("schedule").path("timezone").asText()).isEqualTo("UTC");
            assertThat(Instant.parse(shown.path("nextFire").asText())).isAfter(Instant.now().minusSeconds(2));

            JsonNode ran = eventually(() -> cove.get("/api/v1/namespaces/_/activations?name=every-second-echo&docs=true"),
                    answer -> !answer.json().isEmpty()).json().get(0);

            assertThat(ran.path("response").path("result")).isEqualTo(object().put("tick", true));
            JsonNode fire = cove.activation(TestCove.causedBy(ran));
            assertThat(fire.path("name").asText()).isEqualTo("every-second");
        } finally {
            cove.delete(TRIGGERS + "every-second");
        }
    }

    @Test
    void triggersAreListedByNameAPageAtATimeAndDeleted() throws Exception {
        for (String name : List.of("page-a", "page-b", "page-c")) {
            assertThat(cove.put(TRIGGERS + name, object()).status()).isEqualTo(200);
        }
        List<String> all = new ArrayList<>();
        cove.get("/api/v1/namespaces/_/triggers?limit=200").json().forEach(t -> all.add(t.path("name").asText()));
        int b = all.indexOf("page-b");

        JsonNode page = cove.get("/api/v1/namespaces/_/triggers?limit=2&skip=" + b).json();
        TestCove.Answer deleted = cove.delete(TRIGGERS + "page-b");

        assertThat(all).containsSubsequence("page-a", "page-b", "page-c");
        assertThat(page.findValuesAsText("name")).containsExactly("page-b", "page-c");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("name").asText()).isEqualTo("page-b");
        assertThat(cove.get(TRIGGERS + "page-b").status()).isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/_/triggers?limit=many").status()).isEqualTo(400);
    }

    @Test
    void theAlarmsFeedSetsReadsAndRemovesTheCallersSchedule() throws Exception {
        ObjectNode feedAnnotation = object();
        feedAnnotation.putArray("annotations").addObject().put("key", "feed").put("value", "/whisk.system/alarms/alarm");
        cove.put(TRIGGERS + "fed", feedAnnotation);

        TestCove.Answer created = cove.post(ALARM, feed("CREATE", "/_/fed").put("cron", "0 9 * * 1-5")
                .put("timezone", "Europe/Paris").put("trigger_payload", "hello"));
        JsonNode read = cove.post(ALARM, feed("READ", "/guest/fed")).json();
        JsonNode scheduled = cove.get(TRIGGERS + "fed").json();
        TestCove.Answer removed = cove.post(ALARM, feed("DELETE", "/_/fed"));

        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        assertThat(created.json().path("response").path("result")).isEqualTo(object().put("status", "success"));
        assertThat(read.path("response").path("result").path("config").toString()).isEqualTo("{\"name\":\"fed\","
                + "\"namespace\":\"guest\",\"payload\":{\"payload\":\"hello\"},\"cron\":\"0 9 * * 1-5\","
                + "\"timezone\":\"Europe/Paris\"}");
        assertThat(scheduled.path("schedule").path("cron").asText()).isEqualTo("0 9 * * 1-5");
        assertThat(scheduled.path("nextFire").asText()).isNotEmpty();
        assertThat(removed.status()).isEqualTo(200);
        assertThat(cove.get(TRIGGERS + "fed").json().has("schedule")).isFalse();
    }

    @Test
    void theAlarmsFeedRefusesWhatItCanNotDo() throws Exception {
        cove.put(TRIGGERS + "fed-badly", object());

        TestCove.Answer badCron = cove.post(ALARM, feed("CREATE", "/_/fed-badly").put("cron", "every day"));
        TestCove.Answer noCron = cove.post(ALARM, feed("CREATE", "/_/fed-badly"));
        TestCove.Answer missing = cove.post(ALARM, feed("CREATE", "/_/not-there").put("cron", "* * * * *"));
        TestCove.Answer paused = cove.post(ALARM, feed("PAUSE", "/_/fed-badly"));
        TestCove.Answer someoneElses = cove.post(ALARM, feed("CREATE", "/other/fed-badly").put("cron", "* * * * *"));
        TestCove.Answer badMinutes = cove.post("/api/v1/namespaces/whisk.system/actions/alarms/interval",
                feed("CREATE", "fed-badly").put("minutes", 0));

        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.json().path("error").asText()).startsWith("The cron expression 'every day' is not valid");
        assertThat(noCron.json().path("error").asText()).isEqualTo("the alarms feed alarm is missing the cron parameter");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(paused.status()).isEqualTo(400);
        assertThat(someoneElses.status()).isEqualTo(403);
        assertThat(badMinutes.json().path("error").asText())
                .isEqualTo("the minutes parameter must be an integer greater than zero, was 0");
        assertThat(cove.get(TRIGGERS + "fed-badly").json().has("schedule")).isFalse();
    }

    private static ObjectNode feed(String event, String trigger) {
        return object().put("lifecycleEvent", event).put("triggerName", trigger).put("authKey", "ignored");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsElsewhere() throws Exception {
        TestCove.Answer answer = cove.send(cove.request(TRIGGERS + "unread")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"parameters\": [")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith("The request content was malformed:\nthe JSON ends");
    }

    /** Asks again until the answer is there, for up to 20 s: fires and activations are written off the request. */
    static TestCove.Answer eventually(Attempt attempt, Predicate<TestCove.Answer> done) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        TestCove.Answer answer = attempt.get();
        while (!done.test(answer) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            answer = attempt.get();
        }
        assertThat(done.test(answer)).as("within 20 s: " + answer.json()).isTrue();
        return answer;
    }

    @FunctionalInterface
    interface Attempt {
        TestCove.Answer get() throws Exception;
    }
}
