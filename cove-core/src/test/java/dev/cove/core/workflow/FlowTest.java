package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static dev.cove.core.workflow.Harness.ok;
import static dev.cove.core.workflow.Harness.output;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pass, Choice, Wait, Succeed and Fail, and the input and output processing every state shares. */
class FlowTest {
    private final Harness harness = new Harness();

    @Test
    void passWithResultPlacesItAtResultPath() {
        Outcome outcome = harness.run("""
                {"StartAt": "P", "States": {
                  "P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.deep.er", "End": true}}}""",
                "{\"keep\": true, \"deep\": {\"other\": 2}}");
        assertThat(output(outcome)).isEqualTo(json("{\"keep\": true, \"deep\": {\"other\": 2, \"er\": {\"x\": 1}}}"));
    }

    @Test
    void passWithoutResultPassesItsInputThroughParameters() {
        Outcome outcome = harness.run("""
                {"StartAt": "P", "States": {
                  "P": {"Type": "Pass", "InputPath": "$.in",
                        "Parameters": {"name.$": "$.name", "literal": "x", "nested": {"list": [1, {"n.$": "$.n"}]},
                                       "state.$": "$$.State.Name", "execution.$": "$$.Execution.Id",
                                       "whole.$": "$$.Execution.Input.in.n"},
                        "End": true}}}""",
                "{\"in\": {\"name\": \"ada\", \"n\": 7}}");
        assertThat(output(outcome)).isEqualTo(json("""
                {"name": "ada", "literal": "x", "nested": {"list": [1, {"n": 7}]}, "state": "P",
                 "execution": "exec-1", "whole": 7}"""));
    }

    @Test
    void resultPathNullKeepsTheInputAndOutputPathSelects() {
        Outcome outcome = harness.run("""
                {"StartAt": "P", "States": {
                  "P": {"Type": "Pass", "Result": "dropped", "ResultPath": null, "OutputPath": "$.a['b c'][1]",
                        "End": true}}}""", "{\"a\": {\"b c\": [10, 20]}}");
        assertThat(output(outcome)).isEqualTo(json("20"));
    }

    @Test
    void nullInputPathAndOutputPathMeanAnEmptyObject() {
        assertThat(output(harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": null, "End": true}}}""",
                "{\"a\": 1}"))).isEqualTo(json("{}"));
        assertThat(output(harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": null, "End": true}}}""",
                "{\"a\": 1}"))).isEqualTo(json("{}"));
    }

    @Test
    void taskInputAndOutputGoThroughEveryStepInTheSpecsOrder() {
        harness.tasks.on("fetch", input -> ok("{\"status\": 200, \"body\": {\"id\": " + input.path("id") + "}}"));
        Outcome outcome = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "fetch", "InputPath": "$.request",
                        "Parameters": {"id.$": "$.id"}, "ResultSelector": {"got.$": "$.body.id"},
                        "ResultPath": "$.response", "OutputPath": "$.response", "End": true}}}""",
                "{\"request\": {\"id\": 42, \"noise\": true}}");
        assertThat(harness.tasks.calls().get(0).input()).isEqualTo(json("{\"id\": 42}"));
        assertThat(output(outcome)).isEqualTo(json("{\"got\": 42}"));
    }

    @Test
    void aPathThatMatchesNothingFailsWithStatesRuntime() {
        Outcome outcome = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}""",
                "{\"a\": 1}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).contains("States.Runtime");
        assertThat(outcome.cause()).contains("InputPath \"$.missing\" matches nothing in the input");
    }

    @Test
    void aResultPathIntoANonObjectFailsWithStatesRuntime() {
        Outcome outcome = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}}}""",
                "{\"a\": [1]}");
        assertThat(outcome.error()).contains("States.Runtime");
        assertThat(outcome.cause()).contains("ResultPath \"$.a.b\" can't be written: field \"a\" is an array, not an object");
    }

    private static final String ROUTER = """
            {"StartAt": "Route", "States": {
              "Route": {"Type": "Choice", "Choices": [
                  {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                  {"And": [{"Variable": "$.n", "IsNumeric": true}, {"Not": {"Variable": "$.n", "NumericEquals": 0}}],
                   "Next": "Small"}],
                "Default": "Other"},
              "Big": {"Type": "Pass", "Result": "big", "End": true},
              "Small": {"Type": "Pass", "Result": "small", "End": true},
              "Other": {"Type": "Pass", "Result": "other", "End": true}}}""";

    @Test
    void choiceTakesTheFirstRuleThatMatchesElseTheDefault() {
        assertThat(output(harness.run(ROUTER, "{\"n\": 11}"))).isEqualTo(json("\"big\""));
        assertThat(output(harness.run(ROUTER, "{\"n\": 3}"))).isEqualTo(json("\"small\""));
        assertThat(output(harness.run(ROUTER, "{\"n\": 0}"))).isEqualTo(json("\"other\""));
        assertThat(output(harness.run(ROUTER, "{\"n\": \"eleven\"}"))).isEqualTo(json("\"other\""));
    }

    @Test
    void choiceWithNoMatchAndNoDefaultFailsWithNoChoiceMatched() {
        Outcome outcome = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "BooleanEquals": true, "Next": "Yes"}]},
                  "Yes": {"Type": "Succeed"}}}""", "{\"a\": false}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).contains("States.NoChoiceMatched");
        assertThat(outcome.cause()).contains("no Choice rule of state \"C\" matched its input, and it has no Default");
        assertThat(harness.types()).containsExactly(HistoryEvent.Type.ExecutionStarted, HistoryEvent.Type.StateEntered,
                HistoryEvent.Type.StateFailed, HistoryEvent.Type.ExecutionFailed);
    }

    @Test
    void choiceOutputIsItsInputThroughInputPathAndOutputPath() {
        Outcome outcome = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "InputPath": "$.in", "OutputPath": "$.keep",
                        "Choices": [{"Variable": "$.go", "IsPresent": true, "Next": "Yes"}]},
                  "Yes": {"Type": "Succeed"}}}""", "{\"in\": {\"go\": 1, \"keep\": [1]}}");
        assertThat(output(outcome)).isEqualTo(json("[1]"));
    }

    @Test
    void waitSecondsWaitsOnTheTimer() {
        Execution execution = harness.start(waitWith("\"Seconds\": 30"), "{\"a\": 1}");
        harness.timer.advanceSeconds(29);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);
        assertThat(output(Harness.ended(execution))).isEqualTo(json("{\"a\": 1}"));
        assertThat(harness.timer.delays()).containsExactly(java.time.Duration.ofSeconds(30));
    }

    @Test
    void waitTimestampWaitsUntilThen() {
        Execution execution = harness.start(waitWith("\"Timestamp\": \"2026-01-01T00:01:00+00:00\""), "{}");
        harness.timer.advanceSeconds(59);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);
        assertThat(Harness.ended(execution).status()).isEqualTo(Outcome.Status.SUCCEEDED);
        assertThat(harness.events(HistoryEvent.Type.WaitStarted).get(0).details().path("until").asText())
                .isEqualTo("2026-01-01T00:01:00Z");
    }

    @Test
    void waitSecondsPathReadsTheInput() {
        Execution execution = harness.start(waitWith("\"SecondsPath\": \"$.delay\""), "{\"delay\": 5}");
        harness.timer.advanceSeconds(4);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);
        assertThat(execution.outcome()).isDone();
    }

    @Test
    void waitTimestampPathReadsTheInput() {
        Execution execution = harness.start(waitWith("\"TimestampPath\": \"$.at\""), "{\"at\": \"2026-01-01T00:00:10Z\"}");
        harness.timer.advanceSeconds(9);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);
        assertThat(execution.outcome()).isDone();
    }

    @Test
    void aTimestampInThePastDoesNotWait() {
        Outcome outcome = harness.run(waitWith("\"Timestamp\": \"2020-01-01T00:00:00Z\""), "{}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.SUCCEEDED);
        assertThat(harness.timer.delays()).isEmpty();
    }

    @Test
    void waitPathsThatReadTheWrongThingFailWithStatesRuntime() {
        Outcome negative = harness.run(waitWith("\"SecondsPath\": \"$.delay\""), "{\"delay\": -1}");
        assertThat(negative.error()).contains("States.Runtime");
        assertThat(negative.cause()).contains("SecondsPath selected -1, not a whole number of seconds >= 0");
        Outcome notATime = new Harness().run(waitWith("\"TimestampPath\": \"$.at\""), "{\"at\": \"soon\"}");
        assertThat(notATime.cause()).contains("TimestampPath selected \"soon\", not an RFC 3339 timestamp");
    }

    private static String waitWith(String field) {
        return "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", " + field + ", \"End\": true}}}";
    }

    @Test
    void succeedEndsWithItsFilteredInput() {
        Outcome outcome = harness.run("""
                {"StartAt": "S", "States": {"S": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}}""",
                "{\"a\": {\"b\": \"done\"}}");
        assertThat(output(outcome)).isEqualTo(json("\"done\""));
    }

    @Test
    void failEndsTheExecutionWithItsErrorAndCause() {
        Outcome outcome = harness.run("""
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}}}""", "{}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).contains("Broken");
        assertThat(outcome.cause()).contains("on purpose");
        assertThat(outcome.output()).isEmpty();
    }

    @Test
    void failMayLeaveOutItsErrorAndCause() {
        Outcome outcome = harness.run("{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\"}}}", "{}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).isEqualTo(Optional.empty());
        assertThat(outcome.toJson().has("error")).isFalse();
    }
}
