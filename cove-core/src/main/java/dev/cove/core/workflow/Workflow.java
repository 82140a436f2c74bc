package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A workflow: a state machine in the Amazon States Language (the subset KNIX runs), parsed and
 * checked once at deployment and then started any number of times. (OpenWhisk sequences, a plain
 * chain, run as functions of their own: the runtime package's SequenceInstance.)
 *
 * <p><b>Execution model.</b> Each execution is a small actor. Its steps (enter a state, take a task's
 * result, a timer's tick) go through one mailbox and run one at a time, on whichever thread posts when
 * no other thread is draining it: the caller's for the first steps, then the threads that complete task
 * futures or fire timers. So the interpreter needs no locks, the history comes out in order, and no
 * thread ever waits: a Task is a future from {@link Tasks}, a Wait or a Retry interval is a
 * {@link Timer} action. Parallel branches and Map iterations are child scopes of the same execution,
 * concurrent through their tasks, interleaved in its mailbox.
 *
 * <p><b>Stack depth.</b> Moving to the next state posts a new mailbox step instead of calling it, and a
 * step posted while the mailbox drains is queued rather than run, so a thousand Pass states or a loop
 * through {@code "Wait": 0} use a constant stack; a callback from a future that completed already lands
 * in the same queue.
 *
 * <p><b>Failure modes.</b> A state's error goes to its first Retry that names it, then its first Catch,
 * else it fails its machine: the execution, or its Parallel or Map state, which stops its other children
 * (cancelling their task futures) and then applies its own Retry and Catch. A path that matches nothing
 * at run time is {@code States.Runtime}, which Catch (not Retry) can handle. A Task over its
 * TimeoutSeconds fails with {@code States.Timeout} and its late result is ignored; a machine over its
 * TimeoutSeconds ends {@link Outcome.Status#TIMED_OUT}. An execution that enters more than
 * {@value #MAX_TRANSITIONS} states fails with {@code States.Runtime}, so a loop without end costs a
 * bounded amount of work. A bug in the engine fails its execution, never the caller.
 */
final class Workflow {
    /** The most states one execution may enter, Parallel branches and Map iterations included. */
    public static final int MAX_TRANSITIONS = 25_000;

    /** What executions run with: the functions, the timer for waits and timeouts, the clock for history. */
    public record Environment(Tasks tasks, Timer timer, Clock clock) {}

    private final JsonNode definition;
    private final Machine machine;
    private final Set<String> resources;

    private Workflow(JsonNode definition, Machine machine, Set<String> resources) {
        this.definition = definition.deepCopy();
        this.machine = machine;
        this.resources = Set.copyOf(resources);
    }

    /** Parses and checks an Amazon States Language definition. */
    public static Workflow parse(JsonNode definition) throws InvalidWorkflowException {
        Parser parser = new Parser();
        Machine machine = parser.top(definition);
        return new Workflow(definition, machine, parser.resources());
    }

    /** Every Task's Resource, in branches and iterators too: the functions a deployment must find. */
    public Set<String> resources() {
        return resources;
    }

    /** The definition as it was given, for storing. */
    public JsonNode definition() {
        return definition.deepCopy();
    }

    /**
     * Starts an execution and returns without waiting for any function or timer: the states up to the
     * first Task or Wait run on this thread (JSON work only), the rest on the threads that complete
     * tasks and fire timers.
     *
     * @param executionId names the execution in its history and in {@code $$.Execution.Id}
     * @param listener hears every history event, in order, one at a time; it should return quickly
     */
    public Execution start(String executionId, JsonNode input, Environment environment,
            Consumer<HistoryEvent> listener) {
        if (executionId.isBlank()) {
            throw new IllegalArgumentException("an execution id must not be blank, was '" + executionId + "'");
        }
        Interpreter execution = new Interpreter(executionId, machine, input, environment, listener, MAX_TRANSITIONS);
        execution.start();
        return execution;
    }
}
