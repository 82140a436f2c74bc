package dev.cove.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.Collections;

/** One workflow under test: fake time, fake functions, the history it records. */
final class Harness {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeTimer timer = new FakeTimer(T0);
    final FakeTasks tasks = new FakeTasks(timer);
    // Synchronized, not copy-on-write: a runaway execution records 75,000 events.
    final List<HistoryEvent> history = Collections.synchronizedList(new ArrayList<>());

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in a test: " + text, e);
        }
    }

    static Workflow workflow(String definition) {
        try {
            return Workflow.parse(json(definition));
        } catch (InvalidWorkflowException e) {
            throw new AssertionError("the test's definition is invalid: " + e.getMessage(), e);
        }
    }

    Workflow.Environment environment() {
        return new Workflow.Environment(tasks, timer, timer.clock());
    }

    Execution start(String definition, String input) {
        return workflow(definition).start("exec-1", json(input), environment(), history::add);
    }

    /** Starts it and expects it to end without time passing. */
    Outcome run(String definition, String input) {
        return ended(start(definition, input));
    }

    static Outcome ended(Execution execution) {
        assertThat(execution.outcome()).as("the execution has ended").isDone();
        return execution.outcome().join();
    }

    static JsonNode output(Outcome outcome) {
        assertThat(outcome.status()).as("status, with error %s: %s", outcome.error(), outcome.cause())
                .isEqualTo(Outcome.Status.SUCCEEDED);
        return outcome.output().orElseThrow();
    }

    static TaskResult ok(String json) {
        return TaskResult.succeeded(json(json));
    }

    List<HistoryEvent.Type> types() {
        return history.stream().map(HistoryEvent::type).toList();
    }

    List<HistoryEvent> events(HistoryEvent.Type type) {
        return history.stream().filter(event -> event.type() == type).toList();
    }
}
