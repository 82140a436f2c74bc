package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one machine (the top level, one Parallel branch or one Map iteration) state by state, inside its
 * execution's mailbox. At most one piece of work is under way in a scope at a time (a task, a timer, or
 * the child scopes of a Parallel or Map); its callbacks carry the scope's {@code turn} from when they
 * were armed, so a late one (a result after the task timed out, a timer after a stop) is ignored.
 */
final class Scope {

    /** Who hears how the machine ended: the execution, or the Parallel or Map state that runs it. */
    interface Parent {
        void succeeded(JsonNode output);

        void failed(Failure failure);
    }

    /** One entry into a state, across its retries. */
    private static final class Visit {
        final State state;
        final JsonNode input;
        final Instant entered;
        final int[] attempts;

        Visit(State state, JsonNode input, Instant entered, int retriers) {
            this.state = state;
            this.input = input;
            this.entered = entered;
            this.attempts = new int[retriers];
        }

        int retries() {
            int sum = 0;
            for (int attempt : attempts) {
                sum += attempt;
            }
            return sum;
        }
    }

    private final Interpreter run;
    private final Machine machine;
    private final String label;
    private final Parent parent;
    private final List<Scope> children = new ArrayList<>();
    private Timer.Cancellable pending = Interpreter.NOTHING;
    private long turn;
    private boolean over;

    Scope(Interpreter run, Machine machine, String label, Parent parent) {
        this.run = run;
        this.machine = machine;
        this.label = label;
        this.parent = parent;
    }

    void begin(JsonNode input) {
        enter(machine.startAt(), input);
    }

    /** Stops whatever is under way, here and in child scopes; nothing more is heard from this scope. */
    void stop() {
        over = true;
        turn++;
        pending.cancel();
        pending = Interpreter.NOTHING;
        children.forEach(Scope::stop);
        children.clear();
    }

    private void enter(String name, JsonNode input) {
        if (over || !run.transition()) {
            return;
        }
        State state = machine.state(name);
        emit(HistoryEvent.Type.StateEntered, name, Interpreter.details("input", input));
        Visit visit = new Visit(state, input, run.now(), recovery(state).retriers().size());
        switch (state) {
            case State.Pass pass -> simply(visit, () -> pass(pass, input, context(visit)));
            case State.Choice choice -> simply(visit, () -> choose(choice, input, context(visit)));
            case State.Wait wait -> simply(visit, () -> await(wait, input, context(visit)));
            case State.Succeed succeed -> simply(visit, () -> exit(succeed, succeed.io().passThrough(input,
                    context(visit)), Optional.empty()));
            case State.Fail fail -> fail(fail, fail.failure());
            case State.Task task -> attempt(visit);
            case State.Parallel parallel -> attempt(visit);
            case State.Each each -> attempt(visit);
        }
    }

    private static Recovery recovery(State state) {
        return switch (state) {
            case State.Task task -> task.recovery();
            case State.Parallel parallel -> parallel.recovery();
            case State.Each each -> each.recovery();
            default -> Recovery.NONE;
        };
    }

    private ObjectNode context(Visit visit) {
        return run.context(visit.state.name(), visit.entered, visit.retries());
    }

    /** Runs a state that has no Retry or Catch: an error fails the machine. */
    private void simply(Visit visit, Runnable body) {
        try {
            body.run();
        } catch (Fault fault) {
            fail(visit.state, fault.failure());
        }
    }

    private void pass(State.Pass pass, JsonNode input, ObjectNode context) {
        JsonNode effective = pass.io().effectiveInput(input, context);
        JsonNode result = pass.result().<JsonNode>map(JsonNode::deepCopy).orElse(effective);
        exit(pass, pass.io().output(input, result, context), pass.next());
    }

    private void choose(State.Choice choice, JsonNode input, ObjectNode context) {
        JsonNode selected = choice.io().selected(input, context);
        Optional<String> next = choice.rules().stream().filter(rule -> rule.condition().test(selected, context))
                .findFirst().map(State.Choice.Rule::next).or(choice::otherwise);
        if (next.isEmpty()) {
            fail(choice, Failure.of(Failure.NO_CHOICE_MATCHED, "no Choice rule of state \"" + choice.name()
                    + "\" matched its input, and it has no Default"));
            return;
        }
        exit(choice, choice.io().passThrough(input, context), next);
    }

    private void await(State.Wait wait, JsonNode input, ObjectNode context) {
        JsonNode selected = wait.io().selected(input, context);
        Instant now = run.now();
        Instant until = switch (wait.until()) {
            case State.Wait.Seconds seconds -> now.plusSeconds(seconds.seconds());
            case State.Wait.Timestamp timestamp -> timestamp.instant();
            case State.Wait.SecondsPath path -> now.plusSeconds(seconds(path.path().read(selected, context,
                    "SecondsPath")));
            case State.Wait.TimestampPath path -> timestamp(path.path().read(selected, context, "TimestampPath"));
        };
        JsonNode output = wait.io().passThrough(input, context);
        emit(HistoryEvent.Type.WaitStarted, wait.name(), JsonNodeFactory.instance.objectNode()
                .put("until", until.toString()));
        Duration delay = Duration.between(now, until);
        if (!delay.isPositive()) {
            exit(wait, output, wait.next());
            return;
        }
        long armed = ++turn;
        pending = run.later(delay, () -> {
            if (claim(armed)) {
                exit(wait, output, wait.next());
            }
        });
    }

    private static long seconds(JsonNode value) {
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw Fault.runtime("SecondsPath selected " + Fields.shown(value) + ", not a whole number of seconds >= 0");
        }
        return value.asLong();
    }

    private static Instant timestamp(JsonNode value) {
        return ChoiceRule.timestamp(value).orElseThrow(() -> Fault.runtime("TimestampPath selected "
                + Fields.shown(value) + ", not an RFC 3339 timestamp"));
    }

    /** Runs a Task, Parallel or Map state once more: from its raw input, so a retry starts clean. */
    private void attempt(Visit visit) {
        long armed = ++turn;
        ObjectNode context = context(visit);
        try {
            // A Map's Parameters select each item's input, so its Io has none and this is InputPath alone.
            JsonNode effective = visit.state.io().effectiveInput(visit.input, context);
            Parent work = new Parent() {
                @Override
                public void succeeded(JsonNode result) {
                    if (claim(armed)) {
                        workSucceeded(visit, result, context);
                    }
                }

                @Override
                public void failed(Failure failure) {
                    if (claim(armed)) {
                        recover(visit, failure);
                    }
                }
            };
            switch (visit.state) {
                case State.Task task -> runTask(task, effective, work, armed);
                case State.Parallel parallel -> Fanout.parallel(this, parallel, effective, work);
                case State.Each each -> Fanout.map(this, each, effective, context, work);
                default -> throw new IllegalStateException(visit.state.name() + " has no work to attempt");
            }
        } catch (Fault fault) {
            if (claim(armed)) {
                recover(visit, fault.failure());
            }
        }
    }

    /** Takes the work armed at that turn off the scope; false if it was stopped or already taken. */
    private boolean claim(long armed) {
        if (over || turn != armed) {
            return false;
        }
        turn++;
        pending.cancel();
        pending = Interpreter.NOTHING;
        children.forEach(Scope::stop);
        children.clear();
        return true;
    }

    private void runTask(State.Task task, JsonNode input, Parent work, long armed) {
        ObjectNode scheduled = Interpreter.details("input", input).put("resource", task.resource());
        task.timeout().ifPresent(timeout -> scheduled.put("timeoutSeconds", timeout.toSeconds()));
        emit(HistoryEvent.Type.TaskScheduled, task.name(), scheduled);
        CompletableFuture<TaskResult> future;
        try {
            // A copy: the platform may merge defaults into what it is given, and this input is the state's own.
            future = run.tasks().run(task.resource(), input.deepCopy(), task.timeout());
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        Timer.Cancellable deadline = task.timeout().map(timeout -> run.later(timeout, () -> {
            if (turn == armed) {
                taskFailed(task, Failure.of(Failure.TIMEOUT, "the task did not finish within its TimeoutSeconds ("
                        + timeout.toSeconds() + " s)"), work);
            }
        })).orElse(Interpreter.NOTHING);
        CompletableFuture<TaskResult> running = future;
        pending = () -> {
            deadline.cancel();
            running.cancel(false);
        };
        future.whenComplete((result, error) -> run.post(() -> {
            if (turn == armed) {
                taskEnded(task, result, error, work);
            }
        }));
    }

    private void taskEnded(State.Task task, TaskResult result, Throwable error, Parent work) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            taskFailed(task, Failure.of(Failure.TASK_FAILED, String.valueOf(cause.getMessage())), work);
            return;
        }
        switch (result) {
            case TaskResult.Succeeded succeeded -> {
                emit(HistoryEvent.Type.TaskSucceeded, task.name(), Interpreter.details("output", succeeded.output()));
                work.succeeded(succeeded.output());
            }
            case TaskResult.Failed failed -> taskFailed(task, Failure.of(failed.error(), failed.cause()), work);
        }
    }

    private void taskFailed(State.Task task, Failure failure, Parent work) {
        emit(HistoryEvent.Type.TaskFailed, task.name(), failure.details());
        work.failed(failure);
    }

    private void workSucceeded(Visit visit, JsonNode result, ObjectNode context) {
        JsonNode output;
        try {
            output = visit.state.io().output(visit.input, result, context);
        } catch (Fault fault) {
            recover(visit, fault.failure());
            return;
        }
        exit(visit.state, output, next(visit.state));
    }

    private static Optional<String> next(State state) {
        return switch (state) {
            case State.Task task -> task.next();
            case State.Parallel parallel -> parallel.next();
            case State.Each each -> each.next();
            default -> Optional.empty();
        };
    }

    /** The state failed: the first Retry that names the error, else the first Catch, else the machine fails. */
    private void recover(Visit visit, Failure failure) {
        Recovery recovery = recovery(visit.state);
        OptionalInt index = recovery.retrierFor(failure);
        if (index.isPresent() && visit.attempts[index.getAsInt()] < recovery.retriers().get(index.getAsInt())
                .maxAttempts()) {
            retry(visit, failure, index.getAsInt());
            return;
        }
        Optional<Recovery.Catcher> catcher = recovery.catcherFor(failure);
        if (catcher.isEmpty()) {
            fail(visit.state, failure);
            return;
        }
        emit(HistoryEvent.Type.CaughtError, visit.state.name(), failure.details().put("next", catcher.get().next()));
        try {
            JsonNode output = catcher.get().resultPath().map(path -> path.write(visit.input, failure.toJson(),
                    "Catch ResultPath")).orElse(visit.input);
            exit(visit.state, output, Optional.of(catcher.get().next()));
        } catch (Fault fault) {
            fail(visit.state, fault.failure());
        }
    }

    private void retry(Visit visit, Failure failure, int index) {
        int attempt = ++visit.attempts[index];
        Duration delay = recovery(visit.state).retriers().get(index).delay(attempt);
        emit(HistoryEvent.Type.RetryScheduled, visit.state.name(), failure.details().put("attempt", attempt)
                .put("delaySeconds", delay.toMillis() / 1000.0));
        long armed = ++turn;
        pending = run.later(delay, () -> {
            if (claim(armed)) {
                attempt(visit);
            }
        });
    }

    /** The state is done: on to the next one (as a new mailbox step, to keep the stack flat) or the end. */
    private void exit(State state, JsonNode output, Optional<String> next) {
        ObjectNode details = Interpreter.details("output", output);
        next.ifPresent(name -> details.put("next", name));
        emit(HistoryEvent.Type.StateExited, state.name(), details);
        if (next.isPresent()) {
            run.post(() -> enter(next.get(), output));
            return;
        }
        over = true;
        parent.succeeded(output);
    }

    private void fail(State state, Failure failure) {
        emit(HistoryEvent.Type.StateFailed, state.name(), failure.details());
        over = true;
        parent.failed(failure);
    }

    void emit(HistoryEvent.Type type, String state, ObjectNode details) {
        run.emit(type, label, Optional.of(state), details);
    }

    /** A child scope for branch or item {@code index} of the state, running inside this one. */
    Scope child(String state, int index, Machine machine, Parent parent) {
        String name = (label.isEmpty() ? "" : label + "/") + state + "[" + index + "]";
        Scope child = new Scope(run, machine, name, parent);
        children.add(child);
        return child;
    }

    void post(Runnable step) {
        run.post(step);
    }
}
