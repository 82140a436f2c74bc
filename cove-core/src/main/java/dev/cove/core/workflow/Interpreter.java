package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution: its mailbox, its history, its transition budget and how it ends. The states themselves
 * are run by {@link Scope}s; see {@link Workflow} for the execution model.
 */
final class Interpreter implements Execution {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);
    static final Timer.Cancellable NOTHING = () -> {};

    private final String id;
    private final Machine machine;
    private final JsonNode input;
    private final Workflow.Environment environment;
    private final Consumer<HistoryEvent> listener;
    private final long maxTransitions;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Queue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    // Only steps taken from the mailbox touch the fields below, one at a time.
    private Instant started = Instant.EPOCH;
    private ObjectNode executionContext = JsonNodeFactory.instance.objectNode();
    private Scope root;
    private Timer.Cancellable deadline = NOTHING;
    private long transitions;
    private long events;
    private boolean ended;
    private boolean listenerFailed;

    Interpreter(String id, Machine machine, JsonNode input, Workflow.Environment environment,
            Consumer<HistoryEvent> listener, long maxTransitions) {
        this.id = id;
        this.machine = machine;
        this.input = input.deepCopy();
        this.environment = environment;
        this.listener = listener;
        this.maxTransitions = maxTransitions;
    }

    void start() {
        post(this::begin);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<Outcome> outcome() {
        return outcome.copy();
    }

    @Override
    public void cancel(String cause) {
        post(() -> end(Outcome.Status.ABORTED, Optional.empty(), new Failure(Optional.empty(), Optional.of(cause))));
    }

    /**
     * Runs the step after every step posted before it, on this thread if no other is draining the
     * mailbox, else on that one. A step posted while draining waits its turn instead of nesting, which
     * is what keeps the stack flat however many states run back to back.
     */
    void post(Runnable step) {
        mailbox.add(step);
        if (queued.getAndIncrement() == 0) {
            do {
                runSafely(mailbox.poll());
            } while (queued.decrementAndGet() != 0);
        }
    }

    private void runSafely(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("Workflow execution {} failed on an internal error", id, e);
            end(Outcome.Status.FAILED, Optional.empty(), Failure.of(Failure.RUNTIME,
                    "the workflow engine failed: " + e.getClass().getSimpleName()));
        }
    }

    private void begin() {
        started = now();
        executionContext = JsonNodeFactory.instance.objectNode().put("Id", id).put("Name", id)
                .put("StartTime", started.toString());
        executionContext.set("Input", input);
        emit(HistoryEvent.Type.ExecutionStarted, "", Optional.empty(), details("input", input));
        machine.timeout().ifPresent(timeout -> deadline = timer().schedule(timeout, () -> post(() -> end(
                Outcome.Status.TIMED_OUT, Optional.empty(), Failure.of(Failure.TIMEOUT,
                        "the execution ran longer than its TimeoutSeconds (" + timeout.toSeconds() + " s)")))));
        root = new Scope(this, machine, "", new Scope.Parent() {
            @Override
            public void succeeded(JsonNode output) {
                end(Outcome.Status.SUCCEEDED, Optional.of(output), new Failure(Optional.empty(), Optional.empty()));
            }

            @Override
            public void failed(Failure failure) {
                end(Outcome.Status.FAILED, Optional.empty(), failure);
            }
        });
        root.begin(input);
    }

    /** Counts one state transition; past the budget it ends the execution and says no. */
    boolean transition() {
        if (++transitions <= maxTransitions) {
            return true;
        }
        end(Outcome.Status.FAILED, Optional.empty(), Failure.of(Failure.RUNTIME, "the execution entered more than "
                + maxTransitions + " states; a loop that never ends?"));
        return false;
    }

    private void end(Outcome.Status status, Optional<JsonNode> output, Failure failure) {
        if (ended) {
            return;
        }
        ended = true;
        deadline.cancel();
        if (root != null) {
            root.stop();
        }
        ObjectNode details = output.map(value -> details("output", value)).orElseGet(failure::details);
        record(terminal(status), "", Optional.empty(), details);
        Instant finished = now();
        outcome.complete(new Outcome(id, status, output, failure.error(), failure.cause(), started,
                finished.isBefore(started) ? started : finished));
    }

    private static HistoryEvent.Type terminal(Outcome.Status status) {
        return switch (status) {
            case SUCCEEDED -> HistoryEvent.Type.ExecutionSucceeded;
            case FAILED -> HistoryEvent.Type.ExecutionFailed;
            case TIMED_OUT -> HistoryEvent.Type.ExecutionTimedOut;
            case ABORTED -> HistoryEvent.Type.ExecutionAborted;
        };
    }

    /** Records an event, unless the execution has ended (a late word from a branch that was stopped). */
    void emit(HistoryEvent.Type type, String scope, Optional<String> state, ObjectNode details) {
        if (!ended) {
            record(type, scope, state, details);
        }
    }

    private void record(HistoryEvent.Type type, String scope, Optional<String> state, ObjectNode details) {
        HistoryEvent event = new HistoryEvent(++events, now(), type, scope, state, details);
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true; // once per execution: a broken store would otherwise log every event
                LOG.warn("A workflow history listener failed on event {} of execution {}", event.id(), id, e);
            }
        }
    }

    /** The context object ({@code $$}) of a state being entered. */
    ObjectNode context(String state, Instant entered, int retryCount) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.set("Execution", executionContext);
        context.putObject("State").put("Name", state).put("EnteredTime", entered.toString())
                .put("RetryCount", retryCount);
        return context;
    }

    static ObjectNode details(String field, JsonNode value) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.set(field, value);
        return details;
    }

    Instant now() {
        return environment.clock().instant();
    }

    Tasks tasks() {
        return environment.tasks();
    }

    Timer timer() {
        return environment.timer();
    }

    /** Schedules an action that then runs as a mailbox step. */
    Timer.Cancellable later(Duration delay, Runnable step) {
        return timer().schedule(delay, () -> post(step));
    }
}
