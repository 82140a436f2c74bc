package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Functions as a map from resource to a function of the input. A function may also be held: its calls
 * then stay under way until the test completes them, which shows what runs at the same time.
 */
final class FakeTasks implements Tasks {
    record Call(String resource, JsonNode input, Optional<Duration> timeout, Instant at,
            CompletableFuture<TaskResult> future) {}

    private final FakeTimer timer;
    private final Map<String, Function<JsonNode, TaskResult>> functions = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> held = new ArrayList<>();
    private int running;
    private int mostRunning;

    FakeTasks(FakeTimer timer) {
        this.timer = timer;
    }

    FakeTasks on(String resource, Function<JsonNode, TaskResult> function) {
        functions.put(resource, function);
        return this;
    }

    /** Calls of this resource complete only when the test completes their futures. */
    FakeTasks hold(String resource) {
        held.add(resource);
        return this;
    }

    @Override
    public synchronized CompletableFuture<TaskResult> run(String resource, JsonNode input, Optional<Duration> timeout) {
        CompletableFuture<TaskResult> future = new CompletableFuture<>();
        calls.add(new Call(resource, input.deepCopy(), timeout, timer.now(), future));
        if (held.contains(resource)) {
            mostRunning = Math.max(mostRunning, ++running);
            future.whenComplete((result, error) -> {
                synchronized (this) {
                    running--;
                }
            });
            return future;
        }
        Function<JsonNode, TaskResult> function = functions.get(resource);
        future.complete(function == null ? TaskResult.failed("NoSuchFunction", resource) : function.apply(input));
        return future;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String resource) {
        return calls.stream().filter(call -> call.resource().equals(resource)).toList();
    }

    /** The most held calls that were under way at once. */
    synchronized int mostRunning() {
        return mostRunning;
    }

    /** Completes the oldest held call still under way with the function's answer for its input. */
    void completeNext(String resource) {
        Call call;
        synchronized (this) {
            call = calls(resource).stream().filter(c -> !c.future().isDone()).findFirst().orElseThrow(
                    () -> new AssertionError("no call of " + resource + " is under way"));
        }
        call.future().complete(functions.get(resource).apply(call.input()));
    }
}
