package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static dev.cove.core.workflow.Harness.ok;
import static dev.cove.core.workflow.Harness.output;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Task states: their functions, Retry, Catch and TimeoutSeconds. */
class TaskTest {
    private final Harness harness = new Harness();

    /** Fails the first {@code failures} calls with this error, then returns its input. */
    private static Function<JsonNode, TaskResult> failing(int failures, String error) {
        AtomicInteger calls = new AtomicInteger();
        return input -> calls.incrementAndGet() <= failures ? TaskResult.failed(error, "call " + calls.get())
                : TaskResult.succeeded(input);
    }

    @Test
    void retryExhaustedThenCatchWaitsWithBackoffBetweenAttempts() {
        harness.tasks.on("flaky", failing(100, "Boom"));
        Execution execution = harness.start("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "flaky", "Next": "Done",
                        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 3}],
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "ResultPath": "$.error"}]},
                  "Handle": {"Type": "Pass", "End": true},
                  "Done": {"Type": "Succeed"}}}""", "{\"order\": 7}");
        harness.timer.advanceSeconds(60);

        assertThat(harness.tasks.calls("flaky")).extracting(FakeTasks.Call::at).containsExactly(
                Harness.T0, Harness.T0.plusSeconds(2), Harness.T0.plusSeconds(8), Harness.T0.plusSeconds(26));
        assertThat(harness.timer.delays()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6),
                Duration.ofSeconds(18));
        assertThat(output(Harness.ended(execution))).isEqualTo(json(
                "{\"order\": 7, \"error\": {\"Error\": \"Boom\", \"Cause\": \"call 4\"}}"));
        assertThat(harness.events(HistoryEvent.Type.RetryScheduled)).extracting(e -> e.details().path("attempt").asInt())
                .containsExactly(1, 2, 3);
        assertThat(harness.events(HistoryEvent.Type.CaughtError).get(0).details().path("next").asText()).isEqualTo("Handle");
    }

    @Test
    void aRetryThatSucceedsGoesOnAsIfNothingHappened() {
        harness.tasks.on("flaky", failing(2, "States.TaskFailed"));
        Execution execution = harness.start(task("flaky", """
                "Retry": [{"ErrorEquals": ["States.TaskFailed"]}]"""), "{\"a\": 1}");
        harness.timer.advanceSeconds(1);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(2);
        assertThat(output(Harness.ended(execution))).isEqualTo(json("{\"a\": 1}"));
        assertThat(harness.timer.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void maxDelaySecondsCapsTheBackoff() {
        harness.tasks.on("flaky", failing(4, "E"));
        harness.start(task("flaky", """
                "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "MaxAttempts": 4, "MaxDelaySeconds": 5}]"""), "{}");
        harness.timer.advanceSeconds(100);
        assertThat(harness.timer.delays()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void maxAttemptsZeroNeverRetriesAndEachRetrierCountsItsOwnAttempts() {
        AtomicInteger calls = new AtomicInteger();
        harness.tasks.on("f", input -> TaskResult.failed(calls.incrementAndGet() % 2 == 1 ? "A" : "B", "x"));
        Execution execution = harness.start(task("f", """
                "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 2}, {"ErrorEquals": ["B"], "MaxAttempts": 2},
                          {"ErrorEquals": ["C"], "MaxAttempts": 0}]"""), "{}");
        harness.timer.advanceSeconds(100);
        // A, B, A, B retried; the fifth call's A has used up its retrier.
        assertThat(harness.tasks.calls("f")).hasSize(5);
        assertThat(Harness.ended(execution).error()).contains("A");

        Harness another = new Harness();
        another.tasks.on("f", input -> TaskResult.failed("C", "no retry"));
        assertThat(another.run(task("f", "\"Retry\": [{\"ErrorEquals\": [\"C\"], \"MaxAttempts\": 0}]"), "{}").error())
                .contains("C");
        assertThat(another.tasks.calls()).hasSize(1);
    }

    @Test
    void theFirstMatchingRetrierAppliesEvenWhenExhausted() {
        harness.tasks.on("f", failing(10, "E"));
        Execution execution = harness.start(task("f", """
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]"""),
                "{}");
        harness.timer.advanceSeconds(100);
        assertThat(harness.tasks.calls()).hasSize(2);
        assertThat(Harness.ended(execution).status()).isEqualTo(Outcome.Status.FAILED);
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheError() {
        harness.tasks.on("f", input -> TaskResult.failed("Custom.Error", "it broke"));
        Outcome outcome = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "f", "End": true,
                        "Catch": [{"ErrorEquals": ["Other"], "Next": "Wrong"},
                                  {"ErrorEquals": ["Custom.Error"], "Next": "Right"}]},
                  "Wrong": {"Type": "Fail"},
                  "Right": {"Type": "Pass", "End": true}}}""", "{\"a\": 1}");
        assertThat(output(outcome)).isEqualTo(json("{\"Error\": \"Custom.Error\", \"Cause\": \"it broke\"}"));
    }

    @Test
    void taskFailedMatchesAnyTaskErrorButNotTimeout() {
        harness.tasks.on("f", input -> TaskResult.failed("Custom", "c"));
        Outcome caught = harness.run(task("f", "\"Catch\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"Next\": \"Done\"}]"),
                "{}");
        assertThat(caught.status()).isEqualTo(Outcome.Status.SUCCEEDED);

        Harness timedOut = new Harness();
        timedOut.tasks.on("f", input -> TaskResult.failed("States.Timeout", "slow"));
        assertThat(timedOut.run(task("f", "\"Catch\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"Next\": \"Done\"}]"),
                "{}").error()).contains("States.Timeout");
    }

    @Test
    void aTaskOverItsTimeoutFailsWithStatesTimeoutAndItsLateResultIsIgnored() {
        harness.tasks.on("slow", input -> ok("\"late\"")).hold("slow");
        Execution execution = harness.start(task("slow", """
                "TimeoutSeconds": 10, "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Done"}]"""), "{}");
        assertThat(harness.tasks.calls().get(0).timeout()).contains(Duration.ofSeconds(10));
        harness.timer.advanceSeconds(9);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);

        Outcome outcome = Harness.ended(execution);
        assertThat(output(outcome)).isEqualTo(json(
                "{\"Error\": \"States.Timeout\", \"Cause\": \"the task did not finish within its TimeoutSeconds (10 s)\"}"));
        assertThat(harness.tasks.calls().get(0).future()).isCancelled();
        assertThat(harness.events(HistoryEvent.Type.TaskSucceeded)).isEmpty();
    }

    @Test
    void aTaskThatFinishesInTimeDisarmsItsTimeout() {
        harness.tasks.on("quick", input -> ok("1")).hold("quick");
        Execution execution = harness.start(task("quick", "\"TimeoutSeconds\": 10"), "{}");
        harness.timer.advanceSeconds(3);
        harness.tasks.completeNext("quick");
        assertThat(output(Harness.ended(execution))).isEqualTo(json("1"));
        assertThat(harness.timer.armed()).isZero();
    }

    @Test
    void aTaskWhoseFutureFailsFailsWithTaskFailed() {
        Tasks broken = (resource, input, timeout) -> CompletableFuture.failedFuture(new IllegalStateException("no worker"));
        Outcome outcome = Harness.workflow(task("f", "")).start("x", json("{}"),
                new Workflow.Environment(broken, harness.timer, harness.timer.clock()), event -> {}).outcome().join();
        assertThat(outcome.error()).contains("States.TaskFailed");
        assertThat(outcome.cause()).contains("no worker");

        Tasks throwing = (resource, input, timeout) -> {
            throw new IllegalStateException("refused");
        };
        Outcome thrown = Harness.workflow(task("f", "")).start("y", json("{}"),
                new Workflow.Environment(throwing, harness.timer, harness.timer.clock()), event -> {}).outcome().join();
        assertThat(thrown.cause()).contains("refused");
    }

    @Test
    void statesRuntimeIsCaughtByStatesAllButNeverRetried() {
        harness.tasks.on("f", input -> ok("{}"));
        Outcome outcome = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "f", "InputPath": "$.missing", "Next": "Done",
                        "Retry": [{"ErrorEquals": ["States.ALL"]}],
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "ResultPath": "$.err"}]},
                  "Done": {"Type": "Succeed"}}}""", "{}");
        assertThat(output(outcome).path("err").path("Error").asText()).isEqualTo("States.Runtime");
        assertThat(harness.tasks.calls()).isEmpty();
        assertThat(harness.timer.delays()).isEmpty();
    }

    @Test
    void theContextObjectCountsRetries() {
        harness.tasks.on("f", failing(1, "E"));
        Execution execution = harness.start(task("f", """
                "Parameters": {"retries.$": "$$.State.RetryCount", "entered.$": "$$.State.EnteredTime",
                               "started.$": "$$.Execution.StartTime"},
                "Retry": [{"ErrorEquals": ["E"]}]"""), "{}");
        harness.timer.advanceSeconds(1);
        assertThat(harness.tasks.calls()).extracting(call -> call.input().path("retries").asInt()).containsExactly(0, 1);
        assertThat(harness.tasks.calls().get(0).input().path("entered").asText()).isEqualTo(Harness.T0.toString());
        assertThat(Instant.parse(harness.tasks.calls().get(1).input().path("started").asText())).isEqualTo(Harness.T0);
        assertThat(execution.outcome()).isDone();
    }

    @Test
    void theHistoryOfATaskSaysWhatHappenedInOrder() {
        harness.tasks.on("f", failing(1, "E"));
        Execution execution = harness.start(task("f", "\"Retry\": [{\"ErrorEquals\": [\"E\"]}]"), "{\"in\": 1}");
        harness.timer.advanceSeconds(1);
        Harness.ended(execution);
        assertThat(harness.types()).containsExactly(HistoryEvent.Type.ExecutionStarted, HistoryEvent.Type.StateEntered,
                HistoryEvent.Type.TaskScheduled, HistoryEvent.Type.TaskFailed, HistoryEvent.Type.RetryScheduled,
                HistoryEvent.Type.TaskScheduled, HistoryEvent.Type.TaskSucceeded, HistoryEvent.Type.StateExited,
                HistoryEvent.Type.StateEntered, HistoryEvent.Type.StateExited, HistoryEvent.Type.ExecutionSucceeded);
        assertThat(harness.history).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        HistoryEvent retry = harness.events(HistoryEvent.Type.RetryScheduled).get(0);
        assertThat(retry.toJson().toString()).isEqualTo(json("""
                {"id": 5, "timestamp": "2026-01-01T00:00:00Z", "type": "RetryScheduled", "state": "T",
                 "details": {"error": "E", "cause": "call 1", "attempt": 1, "delaySeconds": 1.0}}""").toString());
        assertThat(harness.history.get(6).timestamp()).isEqualTo(Harness.T0.plusSeconds(1));
        assertThat(harness.history.get(2).details().path("resource").asText()).isEqualTo("f");
        assertThat(harness.history.get(0).state()).isEqualTo(Optional.empty());
    }

    private static String task(String resource, String extra) {
        return """
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "%s", "Next": "Done" %s},
                  "Done": {"Type": "Succeed"}}}""".formatted(resource, extra.isEmpty() ? "" : ", " + extra);
    }
}
