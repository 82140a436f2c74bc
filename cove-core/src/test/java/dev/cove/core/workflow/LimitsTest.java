package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static dev.cove.core.workflow.Harness.ok;
import static dev.cove.core.workflow.Harness.output;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runaway definitions, timeouts of the whole machine, cancellation, and real threads. */
class LimitsTest {
    private final Harness harness = new Harness();

    @Test
    void aLoopWithoutEndFailsAfterTheTransitionBudget() {
        Outcome outcome = harness.run("""
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "Next": "B"},
                  "B": {"Type": "Wait", "Seconds": 0, "Next": "A"}}}""", "{}");
        assertThat(outcome.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcome.error()).contains("States.Runtime");
        assertThat(outcome.cause()).contains("the execution entered more than 25000 states; a loop that never ends?");
        assertThat(harness.events(HistoryEvent.Type.StateEntered)).hasSize(Workflow.MAX_TRANSITIONS);
    }

    @Test
    void aLongChainRunsOnAConstantStack() {
        int length = 5_000;
        ObjectNode definition = JsonNodeFactory.instance.objectNode().put("StartAt", "S0");
        ObjectNode states = definition.putObject("States");
        for (int i = 0; i < length; i++) {
            ObjectNode state = states.putObject("S" + i).put("Type", "Pass");
            if (i + 1 < length) {
                state.put("Next", "S" + (i + 1));
            } else {
                state.put("End", true);
            }
        }
        Workflow chain = Harness.workflow(definition.toString());
        // A thread with a small stack: recursion per state would overflow it long before the end.
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread thread = new Thread(null, () -> chain.start("long", json("{}"), harness.environment(), event -> {})
                .outcome().thenAccept(outcome::complete), "small-stack", 256 * 1024);
        thread.start();
        assertThat(outcome.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(Outcome.Status.SUCCEEDED);
    }

    @Test
    void aMachineOverItsTimeoutEndsTimedOutAndCancelsItsTasks() {
        harness.tasks.on("slow", input -> ok("1")).hold("slow");
        Execution execution = harness.start("""
                {"StartAt": "T", "TimeoutSeconds": 60, "States": {
                  "T": {"Type": "Task", "Resource": "slow", "End": true}}}""", "{}");
        harness.timer.advanceSeconds(59);
        assertThat(execution.outcome()).isNotDone();
        harness.timer.advanceSeconds(1);
        Outcome outcome = Harness.ended(execution);
        assertThat(outcome.status()).isEqualTo(Outcome.Status.TIMED_OUT);
        assertThat(outcome.error()).contains("States.Timeout");
        assertThat(outcome.ended()).isEqualTo(Harness.T0.plusSeconds(60));
        assertThat(harness.tasks.calls().get(0).future()).isCancelled();
        assertThat(harness.types()).endsWith(HistoryEvent.Type.ExecutionTimedOut);
    }

    @Test
    void cancellingStopsTheExecutionAndItsTimers() {
        Execution execution = harness.start("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": true}}}""", "{}");
        execution.cancel("the platform is shutting down");
        Outcome outcome = Harness.ended(execution);
        assertThat(outcome.status()).isEqualTo(Outcome.Status.ABORTED);
        assertThat(outcome.cause()).contains("the platform is shutting down");
        assertThat(harness.timer.armed()).isZero();
        harness.timer.advanceSeconds(200);
        assertThat(harness.types()).endsWith(HistoryEvent.Type.ExecutionAborted);
        execution.cancel("again");
        assertThat(harness.events(HistoryEvent.Type.ExecutionAborted)).hasSize(1);
    }

    @Test
    void startReturnsWhileTasksAreUnderWay() {
        harness.tasks.on("slow", input -> ok("1")).hold("slow");
        Execution execution = harness.start("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "slow", "End": true}}}""", "{}");
        assertThat(execution.id()).isEqualTo("exec-1");
        assertThat(execution.outcome()).isNotDone();
        harness.tasks.completeNext("slow");
        assertThat(execution.outcome()).isDone();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheExecution() {
        Outcome outcome = Harness.workflow("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""")
                .start("x", json("{\"a\": 1}"), harness.environment(), event -> {
                    throw new IllegalStateException("the store is down");
                }).outcome().join();
        assertThat(output(outcome)).isEqualTo(json("{\"a\": 1}"));
    }

    @Test
    void tasksCompletingOnManyThreadsLeaveAConsistentHistory() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Tasks tasks = (resource, input, timeout) -> CompletableFuture.supplyAsync(
                    () -> TaskResult.succeeded(json(String.valueOf(input.asInt() + 1))), pool);
            List<HistoryEvent> history = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            StringBuilder items = new StringBuilder("[0");
            for (int i = 1; i < 500; i++) {
                items.append(',').append(i);
            }
            Workflow each = Harness.workflow("""
                    {"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "MaxConcurrency": 50,
                      "Iterator": {"StartAt": "Inc", "States": {
                        "Inc": {"Type": "Task", "Resource": "inc", "Next": "Again"},
                        "Again": {"Type": "Task", "Resource": "inc", "End": true}}}}}}""");
            Outcome outcome = each.start("many", json(items.append(']').toString()),
                    new Workflow.Environment(tasks, harness.timer, Clock.systemUTC()), history::add)
                    .outcome().get(30, TimeUnit.SECONDS);
            assertThat(output(outcome).get(499).asInt()).isEqualTo(501);
            assertThat(history).extracting(HistoryEvent::id)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, history.size()).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outcomesAndEventsAreValuesThatCheckThemselves() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Outcome("x", Outcome.Status.FAILED,
                java.util.Optional.of(json("1")), java.util.Optional.empty(), java.util.Optional.empty(), Harness.T0,
                Harness.T0)).hasMessage("an outcome has an output exactly when it succeeded; status was FAILED, output present");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskResult.failed(" ", "c"))
                .hasMessage("a task failure needs an error name, was ' '");
        Outcome outcome = new Outcome("x", Outcome.Status.SUCCEEDED, java.util.Optional.of(json("{\"a\": 1}")),
                java.util.Optional.empty(), java.util.Optional.empty(), Harness.T0, Harness.T0.plus(Duration.ofSeconds(2)));
        assertThat(outcome.toJson().toString()).isEqualTo(
                "{\"executionId\":\"x\",\"status\":\"SUCCEEDED\",\"output\":{\"a\":1},"
                        + "\"started\":\"2026-01-01T00:00:00Z\",\"ended\":\"2026-01-01T00:00:02Z\"}");
    }
}
