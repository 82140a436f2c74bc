package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static dev.cove.core.workflow.Harness.ok;
import static dev.cove.core.workflow.Harness.output;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parallel and Map states. */
class FanoutTest {
    private final Harness harness = new Harness();

    private static final String FAN = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "a", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "b", "Next": "B2"},
                                            "B2": {"Type": "Pass", "Result": "b2", "End": true}}}]}}}""";

    @Test
    void parallelOutputsTheBranchOutputsInBranchOrder() {
        harness.tasks.on("a", input -> ok("\"a saw " + input.path("x").asText() + "\"")).hold("a")
                .on("b", input -> ok("\"b\""));
        Execution execution = harness.start(FAN, "{\"x\": \"in\"}");
        assertThat(execution.outcome()).isNotDone();
        harness.tasks.completeNext("a");
        assertThat(output(Harness.ended(execution))).isEqualTo(json("[\"a saw in\", \"b2\"]"));
        assertThat(harness.history).filteredOn(event -> event.type() == HistoryEvent.Type.StateEntered)
                .extracting(HistoryEvent::scope).containsExactly("", "Fan[0]", "Fan[1]", "Fan[1]");
    }

    @Test
    void aFailingBranchFailsTheStateAtOnceAndCancelsTheOthers() {
        harness.tasks.on("a", input -> ok("1")).hold("a").on("b", input -> TaskResult.failed("BranchBroke", "b failed"));
        Outcome outcome = harness.run(FAN, "{}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).contains("BranchBroke");
        assertThat(harness.tasks.calls("a").get(0).future()).isCancelled();
        assertThat(harness.types()).contains(HistoryEvent.Type.BranchFailed);
    }

    @Test
    void aFailingBranchCanBeRetriedAndCaughtByTheParallelState() {
        harness.tasks.on("a", input -> ok("1")).on("b", input -> TaskResult.failed("E", "no"));
        Execution execution = harness.start("""
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Parallel", "Next": "Done",
                          "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "ResultPath": "$.error"}],
                          "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "a", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "b", "End": true}}}]},
                  "Done": {"Type": "Succeed"}}}""", "{\"k\": 1}");
        harness.timer.advanceSeconds(1);
        assertThat(output(Harness.ended(execution))).isEqualTo(json("{\"k\": 1, \"error\": {\"Error\": \"E\", \"Cause\": \"no\"}}"));
        assertThat(harness.tasks.calls("b")).hasSize(2);
    }

    @Test
    void parallelAppliesParametersResultSelectorAndResultPath() {
        Outcome outcome = harness.run("""
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Parallel", "Parameters": {"v.$": "$.v"}, "ResultSelector": {"second.$": "$[1]"},
                          "ResultPath": "$.fan", "End": true, "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "InputPath": "$.v", "End": true}}}]}}}""",
                "{\"v\": 5}");
        assertThat(output(outcome)).isEqualTo(json("{\"v\": 5, \"fan\": {\"second\": 5}}"));
    }

    private static final String EACH = """
            {"StartAt": "Each", "States": {
              "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": %d, "End": true,
                       "ItemProcessor": {"StartAt": "Work",
                         "States": {"Work": {"Type": "Task", "Resource": "work", "End": true}}}}}}""";

    @Test
    void mapRunsTheIteratorOnEveryItemAndKeepsTheirOrder() {
        harness.tasks.on("work", input -> ok(String.valueOf(input.asInt() * 10)));
        Outcome outcome = harness.run(EACH.formatted(0), "{\"items\": [1, 2, 3]}");
        assertThat(output(outcome)).isEqualTo(json("[10, 20, 30]"));
        assertThat(harness.events(HistoryEvent.Type.MapIterationStarted)).extracting(e -> e.details().path("index").asInt())
                .containsExactly(0, 1, 2);
    }

    @Test
    void mapOverAnEmptyArrayOutputsAnEmptyArray() {
        Outcome outcome = harness.run(EACH.formatted(0), "{\"items\": []}");
        assertThat(output(outcome)).isEqualTo(json("[]"));
        assertThat(harness.tasks.calls()).isEmpty();
    }

    @Test
    void mapWithMaxConcurrencyOneRunsItemsOneAtATime() {
        harness.tasks.on("work", input -> ok(input.toString())).hold("work");
        Execution execution = harness.start(EACH.formatted(1), "{\"items\": [\"a\", \"b\", \"c\"]}");
        for (int i = 1; i <= 3; i++) {
            assertThat(harness.tasks.calls("work")).hasSize(i);
            harness.tasks.completeNext("work");
        }
        assertThat(output(Harness.ended(execution))).isEqualTo(json("[\"a\", \"b\", \"c\"]"));
        assertThat(harness.tasks.mostRunning()).isEqualTo(1);
    }

    @Test
    void mapWithMaxConcurrencyTwoRunsTwoAtATimeAndZeroRunsAll() {
        harness.tasks.on("work", input -> ok("0")).hold("work");
        Execution two = harness.start(EACH.formatted(2), "{\"items\": [1, 2, 3, 4, 5]}");
        assertThat(harness.tasks.calls("work")).hasSize(2);
        for (int i = 0; i < 5; i++) {
            harness.tasks.completeNext("work");
        }
        assertThat(two.outcome()).isDone();
        assertThat(harness.tasks.mostRunning()).isEqualTo(2);

        Harness unlimited = new Harness();
        unlimited.tasks.on("work", input -> ok("0")).hold("work");
        unlimited.start(EACH.formatted(0), "{\"items\": [1, 2, 3, 4, 5]}");
        assertThat(unlimited.tasks.calls("work")).hasSize(5);
    }

    @Test
    void itemSelectorSeesTheItemAndItsIndexInTheContextObject() {
        harness.tasks.on("work", input -> ok(input.toString()));
        Outcome outcome = harness.run("""
                {"StartAt": "Each", "States": {
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                           "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value",
                                            "shared.$": "$.shared"},
                           "Iterator": {"StartAt": "Work",
                             "States": {"Work": {"Type": "Task", "Resource": "work", "End": true}}}}}}""",
                "{\"items\": [\"x\", \"y\"], \"shared\": true}");
        assertThat(output(outcome)).isEqualTo(json("""
                [{"index": 0, "value": "x", "shared": true}, {"index": 1, "value": "y", "shared": true}]"""));
    }

    @Test
    void aFailingIterationFailsTheMapAndStopsTheRest() {
        harness.tasks.on("work", input -> input.asInt() == 2 ? TaskResult.failed("Bad", "item 2") : ok("1")).hold("work");
        Execution execution = harness.start(EACH.formatted(0), "{\"items\": [1, 2, 3]}");
        harness.tasks.completeNext("work");
        harness.tasks.completeNext("work");
        Outcome outcome = Harness.ended(execution);
        assertThat(outcome.error()).contains("Bad");
        assertThat(harness.tasks.calls("work").get(2).future()).isCancelled();
        assertThat(harness.types()).contains(HistoryEvent.Type.MapIterationFailed);
    }

    @Test
    void mapOverSomethingOtherThanAnArrayFailsWithStatesRuntime() {
        Outcome outcome = harness.run(EACH.formatted(0), "{\"items\": {\"not\": \"a list\"}}");
        assertThat(outcome.error()).contains("States.Runtime");
        assertThat(outcome.cause()).contains("ItemsPath \"$.items\" selected an object, not an array");
    }

    @Test
    void nestedFanoutsNameTheirScopes() {
        harness.tasks.on("work", input -> ok("\"done\""));
        Outcome outcome = harness.run("""
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "Each", "States": {
                      "Each": {"Type": "Map", "End": true, "Iterator": {"StartAt": "Work",
                        "States": {"Work": {"Type": "Task", "Resource": "work", "End": true}}}}}}]}}}""",
                "[1, 2]");
        assertThat(output(outcome)).isEqualTo(json("[[\"done\", \"done\"]]"));
        assertThat(harness.events(HistoryEvent.Type.TaskScheduled)).extracting(HistoryEvent::scope)
                .containsExactly("Fan[0]/Each[0]", "Fan[0]/Each[1]");
    }

    @Test
    void waitsInsideBranchesRunSideBySide() {
        Execution execution = harness.start("""
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}},
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3, "End": true}}}]}}}""", "{}");
        harness.timer.advanceSeconds(5);
        assertThat(output(Harness.ended(execution))).isEqualTo(json("[{}, {}]"));
        assertThat(harness.timer.delays()).containsExactlyInAnyOrder(Duration.ofSeconds(5), Duration.ofSeconds(3));
    }

    @Test
    void mapAppliesResultSelectorAndResultPathAndItsCatchHandlesAnIterationsError() {
        harness.tasks.on("work", input -> input.asInt() < 0 ? TaskResult.failed("Negative", "item " + input) : ok("1"));
        String definition = """
                {"StartAt": "Each", "States": {
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultSelector": {"count.$": "$[0]"},
                           "ResultPath": "$.result", "Next": "Done",
                           "Catch": [{"ErrorEquals": ["Negative"], "Next": "Done", "ResultPath": "$.result"}],
                           "Iterator": {"StartAt": "Work",
                             "States": {"Work": {"Type": "Task", "Resource": "work", "End": true}}}},
                  "Done": {"Type": "Succeed", "OutputPath": "$.result"}}}""";
        assertThat(output(harness.run(definition, "{\"items\": [5]}"))).isEqualTo(json("{\"count\": 1}"));
        assertThat(output(harness.run(definition, "{\"items\": [-5]}"))).isEqualTo(json(
                "{\"Error\": \"Negative\", \"Cause\": \"item -5\"}"));
    }
}
