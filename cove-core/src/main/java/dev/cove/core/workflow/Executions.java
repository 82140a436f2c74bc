package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.invoke.Dispatcher;
import dev.cove.core.model.Activation;
import dev.cove.core.model.Admission;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.ExecutionStarted;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.ActivationStore;
import dev.cove.core.spi.Deadlines;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs applications' workflows on the platform: each Task is an invocation of a function of the same
 * application, admitted straight to the dispatcher (the local bus, as {@code ctx.invoke} is) and
 * recording the execution's id as its {@code causedBy}.
 *
 * <p>An execution started for a caller that does not wait is in the store, {@code RUNNING}, before
 * {@link #start} returns (one whose caller waits is stored when it ends); its history is kept
 * in memory while it runs and stored with its outcome, written by one thread of its own so that no
 * event loop waits on the disk. At the next start, executions still {@code RUNNING} (the server
 * stopped or crashed) are started again from the beginning with their input: at least once, as
 * invocations answered 202 are.
 *
 * <p>How a function's failure becomes an ASL error: a timeout is {@code States.Timeout}; a thrown
 * error whose message reads {@code Name: text} (as {@code ValueError: boom} or {@code Error: boom}) is
 * {@code Name}, so Retry and Catch can name it; an error result {@code {"error": {"name": N, …}}} is
 * {@code N}; anything else is {@code States.TaskFailed}.
 */
public final class Executions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Executions.class);
    private static final Pattern THROWN = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$.]*(?:Error|Exception)?): .*",
            Pattern.DOTALL);

    private record Running(ObjectNode document, List<HistoryEvent> history, Execution execution) {}

    private final ActivationStore store;
    private final Registry registry;
    private final Dispatcher dispatcher;
    private final Timer timer;
    private final Clock clock;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Workflow> parsed = new ConcurrentHashMap<>();
    /** Ended executions on their way to the store, served from here until they are there. */
    private final Map<String, ObjectNode> unstored = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("cove-execution-writer").daemon().unstarted(r));
    private volatile boolean closing;

    private Executions(ActivationStore store, Registry registry, Dispatcher dispatcher, Deadlines deadlines,
            Clock clock) {
        this.store = store;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.timer = (delay, action) -> deadlines.arm(delay, action)::cancel;
    }

    public static Executions create(ActivationStore store, Registry registry, Dispatcher dispatcher,
            Deadlines deadlines, Clock clock) {
        return new Executions(store, registry, dispatcher, deadlines, clock);
    }

    /**
     * Checks an application's workflow before it is deployed: a valid definition whose Tasks all name
     * functions of the application.
     *
     * @throws InvalidFunctionException with a message for the user that begins "The workflow: "
     */
    public static void check(JsonNode definition, List<String> functions) throws InvalidFunctionException {
        try {
            Workflow workflow = Workflow.parse(definition);
            for (String resource : workflow.resources().stream().sorted().toList()) {
                if (!functions.contains(resource)) {
                    throw new InvalidWorkflowException("a Task names the function " + resource
                            + ", which is not a function of the application");
                }
            }
        } catch (InvalidWorkflowException e) {
            throw new InvalidFunctionException("The workflow: " + e.getMessage());
        }
    }

    /**
     * Starts the application's workflow. A durable start is in the store on return (it blocks on the
     * store), for a caller that does not wait; one whose caller waits for it is stored when it ends, as
     * a blocking invocation is: if the server dies, so does the caller's connection.
     *
     * @throws IllegalStateException when the application has no workflow
     */
    public ExecutionStarted start(ApplicationRevision app, JsonNode input, boolean durable) {
        String id = dispatcher.newActivationId();
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("executionId", id)
                .put("namespace", app.namespace()).put("application", app.name()).put("version", app.semver())
                .put("status", ExecutionRecord.RUNNING).put("started", clock.millis());
        document.set("input", input.deepCopy());
        if (durable) {
            store.putExecution(record(document));
        }
        return run(app, document);
    }

    /** Starts again the executions a stopped or crashed server left running; answers how many. */
    public int recover() {
        int restarted = 0;
        for (ExecutionRecord stored : store.runningExecutions()) {
            Optional<ApplicationRevision> app = registry.application(stored.namespace(), stored.application());
            ObjectNode document = stored.document();
            if (app.isEmpty() || app.get().workflow().isEmpty()) {
                end(document, List.of(), "FAILED", "States.Runtime", "The application or its workflow was deleted.");
                continue;
            }
            run(app.get(), document);
            restarted++;
        }
        return restarted;
    }

    private ExecutionStarted run(ApplicationRevision app, ObjectNode document) {
        String id = document.path("executionId").asText();
        Workflow workflow = workflowOf(app);
        List<HistoryEvent> history = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ObjectNode> ended = new CompletableFuture<>();
        Execution execution = workflow.start(id, document.path("input"),
                new Workflow.Environment(tasksOf(app, id), timer, clock), history::add);
        running.put(id, new Running(document, history, execution));
        execution.outcome().thenAccept(outcome -> {
            ObjectNode done = document.deepCopy();
            outcome.output().ifPresent(out -> done.set("output", out));
            ended.complete(end(done, List.copyOf(history), outcome.status().name(), outcome.error().orElse(""),
                    outcome.cause().orElse("")));
            running.remove(id);
        });
        return new ExecutionStarted(id, ended);
    }

    private Workflow workflowOf(ApplicationRevision app) {
        return parsed.computeIfAbsent(app.namespace() + "/" + app.name() + "@" + app.version(), key -> {
            try {
                return Workflow.parse(app.workflow().orElseThrow(() -> new IllegalStateException(
                        "the application " + app.name() + " has no workflow")));
            } catch (InvalidWorkflowException e) {
                throw new IllegalStateException("a stored workflow no longer parses: " + e.getMessage(), e);
            }
        });
    }

    private ObjectNode end(ObjectNode document, List<HistoryEvent> history, String status, String error, String cause) {
        document.put("status", status).put("ended", clock.millis());
        if (!error.isEmpty()) {
            document.put("error", error);
        }
        if (!cause.isEmpty()) {
            document.put("cause", cause);
        }
        ArrayNode events = document.putArray("history");
        history.forEach(e -> events.add(e.toJson()));
        if (!closing) { // an execution ended by the shutdown stays RUNNING in the store: the next start runs it
            unstored.put(document.path("executionId").asText(), document);
            writer.execute(() -> storeEnded(document));
        }
        return document;
    }

    private void storeEnded(ObjectNode document) {
        try {
            store.putExecution(record(document));
        } catch (RuntimeException e) {
            LOG.warn("could not store the end of the execution {}: {}", document.path("executionId").asText(),
                    e.getMessage());
        } finally {
            unstored.remove(document.path("executionId").asText());
        }
    }

    private static ExecutionRecord record(ObjectNode document) {
        return new ExecutionRecord(document.path("executionId").asText(), document.path("namespace").asText(),
                document.path("application").asText(), document.path("status").asText(),
                document.path("started").asLong(), document);
    }

    /** An execution as the REST API shows it: from memory while it runs (with its history so far), else stored. */
    public Optional<ObjectNode> execution(String namespace, String executionId) {
        Running live = running.get(executionId);
        if (live != null && live.document().path("namespace").asText().equals(namespace)) {
            ObjectNode now = live.document().deepCopy();
            ArrayNode events = now.putArray("history");
            List.copyOf(live.history()).forEach(e -> events.add(e.toJson()));
            return Optional.of(now);
        }
        ObjectNode ended = unstored.get(executionId);
        if (ended != null && ended.path("namespace").asText().equals(namespace)) {
            return Optional.of(ended.deepCopy());
        }
        return store.execution(namespace, executionId).map(ExecutionRecord::document);
    }

    /** The namespace's executions, newest first, without their histories; running ones too. */
    public List<ObjectNode> executions(String namespace, Optional<String> application, int limit) {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        Stream.concat(unstored.values().stream(), running.values().stream().map(Running::document))
                .filter(d -> d.path("namespace").asText().equals(namespace)
                        && application.map(d.path("application").asText()::equals).orElse(true))
                .forEach(d -> all.putIfAbsent(d.path("executionId").asText(), d.deepCopy()));
        List<ExecutionRecord> stored = application.isPresent() ? store.executions(namespace, application.get(), limit)
                : store.executions(namespace, limit);
        stored.forEach(r -> all.putIfAbsent(r.executionId(), r.document()));
        return all.values().stream()
                .sorted(Comparator.comparingLong((ObjectNode d) -> d.path("started").asLong())
                        .thenComparing(d -> d.path("executionId").asText()).reversed())
                .limit(limit)
                .map(d -> {
                    d.remove("history");
                    return d;
                })
                .toList();
    }

    private Tasks tasksOf(ApplicationRevision app, String executionId) {
        return (resource, input, timeout) -> {
            Optional<FunctionRevision> function = registry.function(app.namespace(), resource)
                    .filter(f -> f.application().equals(app.name()));
            if (function.isEmpty()) {
                return CompletableFuture.completedFuture(TaskResult.failed("States.TaskFailed",
                        "There is no function named " + resource + " in the application " + app.name() + "."));
            }
            ObjectNode params = input instanceof ObjectNode object ? object
                    : JsonNodeFactory.instance.objectNode().set("input", input);
            return switch (dispatcher.invokeFrom(executionId, function.get(), params)) {
                case Admission.Rejected r -> CompletableFuture.completedFuture(
                        TaskResult.failed("States.TaskFailed", r.message()));
                case Admission.Accepted a -> a.completion().thenApply(Executions::taskResult);
            };
        };
    }

    static TaskResult taskResult(Activation activation) {
        JsonNode result = activation.result().tree();
        JsonNode error = result.path("error");
        String cause = error.isTextual() ? error.asText() : error.toString();
        return switch (activation.status()) {
            case SUCCESS -> TaskResult.succeeded(result);
            case TIMEOUT -> TaskResult.failed("States.Timeout", cause);
            case APPLICATION_ERROR -> TaskResult.failed(error.path("name").isTextual()
                    && !error.path("name").asText().isBlank() ? error.path("name").asText()
                    : error.isTextual() ? thrownName(cause) : "States.TaskFailed", cause); // a python raise: "ValueError: …"
            case DEVELOPER_ERROR -> TaskResult.failed(thrownName(cause), cause);
            case PLATFORM_ERROR, UNAVAILABLE -> TaskResult.failed("States.TaskFailed", cause);
        };
    }

    private static String thrownName(String message) {
        Matcher m = THROWN.matcher(message);
        return m.matches() && !m.group(1).startsWith("States.") ? m.group(1) : "States.TaskFailed";
    }

    /** Stops running executions without recording their end: the next start runs them again. */
    @Override
    public void close() {
        closing = true;
        running.values().forEach(r -> r.execution().cancel("The platform is shutting down."));
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
