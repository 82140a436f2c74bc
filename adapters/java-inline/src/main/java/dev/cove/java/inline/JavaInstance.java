package dev.cove.java.inline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.api.Cache;
import dev.cove.api.CacheException;
import dev.cove.api.Context;
import dev.cove.api.Handler;
import dev.cove.api.InvocationException;
import dev.cove.api.PublishException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Messages;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.InProcessInstance;
import dev.cove.core.spi.InlineTier.Moved;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.StartFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A Java function run inline: in the platform's own JVM, its classes checked and metered as they load
 * ({@link InlineLoader}), each activation on a virtual thread ({@link VirtualStarts}) with a
 * {@link Budget} bound to it. Only code that passed the inline check at deploy gets here (the
 * platform keeps each version's tier); everything else runs in a JVM worker in its sandbox.
 *
 * <p><b>Failure modes.</b> A budget stops its activation's code at the next tick, so an activation
 * past its time limit ends as a timeout (the dispatcher's deadline says so; its thread is free again
 * within a poll period) and one past its memory limit, or whose code fails the check when it loads,
 * is stopped. Any of these, and a stack overflow, moves the function to the process tier for good:
 * the instance kills itself, and each of its activations stopped before it did anything with effects
 * (a call to another function, a cache write) runs again there ({@link RunOutcome.Rerun}); one that
 * did ends as a developer error saying why. A JDK call runs to its end before the next tick, which is
 * why the allow-list admits only calls whose time is bounded by their inputs.
 */
final class JavaInstance extends InProcessInstance {
    private static final long MB = 1024 * 1024;
    /** Of a stack trace in the logs: a huge message stays in the error. */
    private static final int TRACE_CHARS = 65536;

    private final FunctionRevision revision;
    private final InlineLoader loader;
    private final Handler handler;
    private final Map<Thread, Run> running = new ConcurrentHashMap<>();
    private final FunctionCalls calls;
    private final Consumer<String> moveToProcess;
    private volatile boolean moved;

    /** One activation under way: its budget, and whether it has done anything with effects yet. */
    private static final class Run {
        final Budget budget;
        final Instant deadline;
        volatile boolean effects;

        Run(Budget budget, Instant deadline) {
            this.budget = budget;
            this.deadline = deadline;
        }

        /** It called another function or wrote to its cache: it is never run again. */
        void hadEffects() {
            effects = true;
            budget.mayNotRunAgain();
        }
    }

    private JavaInstance(FunctionRevision revision, InlineLoader loader, Handler handler, FunctionCalls calls,
            Consumer<String> moveToProcess) {
        this.revision = revision;
        this.loader = loader;
        this.handler = handler;
        this.calls = calls;
        this.moveToProcess = moveToProcess;
    }

    /**
     * Loads the class and finds its shape, under a budget of the function's limits: static
     * initialisers and the constructor run here, printing to the init's logs.
     *
     * @param moveToProcess moves the function to the process tier for good, for the reason given
     * @throws Moved when the code stopped where the process tier would not stop it (it was moved)
     */
    static JavaInstance load(FunctionRevision revision, Path entry, RunListener initLogs,
            FunctionCalls calls, Consumer<String> moveToProcess) throws StartFailure, Moved {
        String className = revision.spec().main();
        InlineLoader loader = open(revision, entry, className);
        Limits limits = revision.spec().limits();
        Budget budget = Budget.open(Instant.now().plus(limits.timeout()), limits.memoryMb() * MB);
        ThreadOutput.bind(initLogs);
        try {
            Class<?> type = Class.forName(className, true, loader);
            return new JavaInstance(revision, loader, handlerOf(type), calls, moveToProcess);
        } catch (Budget.Stopped e) {
            close(loader);
            throw initStopped(e, limits, moveToProcess);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            close(loader);
            throw new StartFailure(StartFailure.Fault.FUNCTION, "the class " + className + " could not be loaded: " + e.getMessage());
        } catch (ExceptionInInitializerError e) {
            close(loader);
            throw new StartFailure(StartFailure.Fault.FUNCTION, "the class " + className + " failed to initialise: " + e.getCause());
        } catch (StackOverflowError e) {
            close(loader);
            moveToProcess.accept("its code overflowed its stack inline while it loaded");
            throw new StartFailure(StartFailure.Fault.FUNCTION, "the class " + className + " failed to initialise: " + e);
        } catch (StartFailure e) {
            close(loader);
            throw e;
        } finally {
            ThreadOutput.unbind();
            budget.close();
        }
    }

    private static InlineLoader open(FunctionRevision revision, Path entry, String className) throws StartFailure {
        try {
            return Files.isDirectory(entry) ? InlineLoader.ofDirectory("function-" + revision.name(), entry, className)
                    : InlineLoader.ofJar("function-" + revision.name(), entry, className);
        } catch (IOException e) {
            throw new StartFailure(StartFailure.Fault.FUNCTION, "cannot read the function's classes: " + e.getMessage());
        }
    }

    /**
     * Loading ran past the time limit (a timeout, as in every runtime: thrown), or stopped where a
     * process would not (answered, to be thrown).
     */
    private static Moved initStopped(Budget.Stopped stop, Limits limits, Consumer<String> moveToProcess)
            throws StartFailure {
        if (stop.reason() == Budget.Reason.TIME) {
            moveToProcess.accept("its code ran past its time limit inline while it loaded");
            throw new StartFailure(StartFailure.Fault.TIMEOUT, Messages.overTimeLimitAtInit(limits.timeout().toMillis()));
        }
        String reason = stop.getMessage();
        moveToProcess.accept(movedBecause(reason));
        return new Moved(reason);
    }

    private static Handler handlerOf(Class<?> type) throws StartFailure {
        if (Handler.class.isAssignableFrom(type)) {
            try {
                var constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                return (Handler) constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw new StartFailure(StartFailure.Fault.FUNCTION, "the constructor of " + type.getName() + " threw " + e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new StartFailure(StartFailure.Fault.FUNCTION, type.getName() + " needs a constructor without parameters");
            }
        }
        try {
            var main = type.getMethod("main", Map.class);
            if (!Modifier.isStatic(main.getModifiers()) || !Map.class.isAssignableFrom(main.getReturnType())) {
                throw new NoSuchMethodException();
            }
            MethodHandle handle = MethodHandles.publicLookup().unreflect(main)
                    .asType(MethodType.methodType(Object.class, Map.class));
            return (params, context) -> callStatic(handle, params);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new StartFailure(StartFailure.Fault.FUNCTION, type.getName() + " neither implements dev.cove.api.Handler nor has a "
                    + "public static Map<String, Object> main(Map<String, Object>)");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> callStatic(MethodHandle main, Map<String, Object> params) throws Exception {
        try {
            return (Map<String, Object>) (Object) main.invokeExact((Map<?, ?>) params);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public Optional<TierVerdict> tier() {
        return Optional.of(TierVerdict.INLINE);
    }

    @Override
    public void run(RunRequest request, RunListener listener) {
        AtomicBoolean finished = new AtomicBoolean();
        RunListener once = new RunListener() {
            @Override
            public void log(String stream, String line) {
                listener.log(stream, line);
            }

            @Override
            public void done(RunOutcome outcome) {
                if (finished.compareAndSet(false, true)) {
                    listener.done(outcome);
                }
            }
        };
        VirtualStarts.start("java-" + request.activationId(), () -> execute(request, once));
    }

    private void execute(RunRequest request, RunListener listener) {
        if (moved) {
            listener.done(new RunOutcome.Rerun("The function moved to the process tier."));
            return;
        }
        Thread self = Thread.currentThread();
        Run run = new Run(Budget.open(request.deadline(), revision.spec().limits().memoryMb() * MB), request.deadline());
        running.put(self, run);
        ThreadOutput.bind(listener);
        Optional<RunOutcome> outcome;
        try {
            Optional<String> killed = killReason();
            if (killed.isPresent()) {
                outcome = Optional.of(new RunOutcome.Crashed(killed.get()));
            } else if (!(request.params() instanceof ObjectNode params)) {
                outcome = Optional.of(new RunOutcome.Failed(JavaValues.NOT_AN_OBJECT));
            } else {
                Map<String, Object> given = JavaValues.toMap(params);
                given.remove(FunctionCalls.FIRED_BY); // a Java function is given a fire's payload alone
                Map<String, Object> result = handler.handle(given, new RunContext(request, run));
                outcome = Optional.of(JavaValues.toResult(result));
            }
        } catch (Budget.Stopped e) {
            outcome = stopped(e, run);
        } catch (StackOverflowError e) {
            move("an inline activation overflowed its stack");
            outcome = Optional.of(new RunOutcome.Failed(describe(e)));
        } catch (OutOfMemoryError e) {
            outcome = stopped(new Budget.Stopped(Budget.Reason.MEMORY, "The function ran the platform's JVM out of "
                    + "memory."), run);
        } catch (Throwable t) {
            Optional<Budget.Stopped> stop = run.budget.stopped();
            if (stop.isEmpty() && killReason().isEmpty()) {
                logStackTrace(t, listener);
            }
            outcome = stop.isPresent() ? stopped(stop.get(), run)
                    : Optional.of(killReason().<RunOutcome>map(RunOutcome.Crashed::new)
                            .orElseGet(() -> new RunOutcome.Failed(describe(t))));
        } finally {
            ThreadOutput.unbind();
            running.remove(self);
            run.budget.close();
        }
        if (run.budget.ranLong()) {
            move(movedBecause(Budget.Reason.RAN_LONG.describe(run.budget, "")));
        }
        if (moved) { // before the outcome: an activation to run again must not find this instance alive
            kill("The function moved to the process tier.");
        }
        outcome.ifPresent(listener::done);
    }

    /**
     * What an activation the budget stopped ends as: nothing here for a timeout (the dispatcher's
     * deadline ends it as one); a run again in the process tier, or a developer error when it did
     * something with effects, for what would not stop a process; the kill's reason for a kill.
     */
    private Optional<RunOutcome> stopped(Budget.Stopped stop, Run run) {
        return switch (stop.reason()) {
            case TIME -> {
                move("an inline activation ran past its time limit of "
                        + revision.spec().limits().timeout().toMillis() + " ms");
                yield Optional.empty();
            }
            case KILLED -> Optional.of(moved && !run.effects ? new RunOutcome.Rerun("The inline tier stopped the activation: "
                    + "its function moved to the process tier.") : new RunOutcome.Crashed(killReason().orElse(stop.getMessage())));
            case MEMORY, NOT_INLINE, RAN_LONG -> {
                move(movedBecause(stop.getMessage()));
                yield Optional.of(run.effects ? new RunOutcome.Failed(stop.getMessage() + " It had called another function or "
                        + "written to its cache, so it was not run again; the function runs in the process tier from now on.")
                        : new RunOutcome.Rerun(stop.getMessage()));
            }
            case OUTSIDE -> Optional.of(new RunOutcome.Failed(stop.getMessage()));
        };
    }

    /** The process tier's reason, from what stopped an activation inline: "The function allocated …" to "an inline activation allocated …". */
    private static String movedBecause(String stop) {
        String what = stop.endsWith(".") ? stop.substring(0, stop.length() - 1) : stop;
        return what.startsWith("The function ") ? "an inline activation " + what.substring("The function ".length()) : what;
    }

    private void move(String reason) {
        if (!moved) {
            moved = true;
            moveToProcess.accept(reason);
        }
    }

    /** What the function threw, to its stderr, as the process tier (and OpenWhisk's Java runtime) prints it. */
    private static void logStackTrace(Throwable t, RunListener listener) {
        StringWriter trace = new StringWriter();
        try {
            t.printStackTrace(new PrintWriter(trace));
        } catch (Throwable broken) { // the throwable's methods are the function's code too
            listener.log("stderr", t.getClass().getName());
            return;
        }
        String text = trace.toString();
        (text.length() <= TRACE_CHARS ? text : text.substring(0, TRACE_CHARS) + "…").lines()
                .forEach(line -> listener.log("stderr", line));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
    }

    /**
     * Stops every activation under way at its next tick: one past its deadline as a timeout (the kill
     * came from it, and the function moves), the others as killed.
     */
    @Override
    protected void onKill() {
        Instant now = Instant.now();
        running.forEach((thread, run) -> {
            if (!now.isBefore(run.deadline)) {
                move("an inline activation ran past its time limit of " + revision.spec().limits().timeout().toMillis()
                        + " ms");
            }
        });
        running.forEach((thread, run) -> {
            run.budget.stop(now.isBefore(run.deadline) ? Budget.Reason.KILLED : Budget.Reason.TIME);
            thread.interrupt();
        });
        close(loader);
    }

    private static void close(InlineLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing more can be done for a loader that won't close
        }
    }

    /** What a function may know of its activation. */
    private final class RunContext implements Context {
        private final RunRequest request;
        private final Run run;

        RunContext(RunRequest request, Run run) {
            this.request = request;
            this.run = run;
        }

        @Override
        public String activationId() {
            return request.activationId();
        }

        @Override
        public String namespace() {
            return revision.namespace();
        }

        @Override
        public String functionName() {
            return revision.name();
        }

        @Override
        public String functionVersion() {
            return revision.semver();
        }

        @Override
        public Map<String, String> env() {
            return revision.spec().env();
        }

        @Override
        public Instant deadline() {
            return request.deadline();
        }

        @Override
        public Cache cache() {
            return new FunctionCache(request.activationId(), "function", run);
        }

        @Override
        public Map<String, Object> invoke(String function, Map<String, Object> params) {
            return switch (call(function, params, true)) {
                case CallOutcome.Ended e when e.success() -> asMap(e.result().tree());
                case CallOutcome.Ended e -> throw new InvocationException(errorText(e.result().tree()),
                        e.activationId(), e.status(), asMap(e.result().tree()));
                case CallOutcome.Refused r -> throw refused(r);
                case CallOutcome.Accepted a -> throw new IllegalStateException("a waited-for call was only accepted");
            };
        }

        @Override
        public String send(String function, Map<String, Object> params) {
            return switch (call(function, params, false)) {
                case CallOutcome.Accepted a -> a.activationId();
                case CallOutcome.Refused r -> throw refused(r);
                case CallOutcome.Ended e -> e.activationId();
            };
        }

        /** A message published has effects (triggers fire), so an activation that published is never run again. */
        @Override
        public String publish(String topic, Map<String, Object> message) {
            ObjectNode json;
            try {
                json = JavaValues.toParams(message);
            } catch (IllegalArgumentException e) {
                throw new PublishException(e.getMessage());
            }
            run.hadEffects();
            try {
                return blocking(calls.publish(revision, request.activationId(), topic == null ? "" : topic, json));
            } catch (CompletionException e) {
                throw new PublishException(e.getCause() instanceof IllegalArgumentException refused ? refused.getMessage()
                        : "The message could not be published inside the platform.");
            }
        }

        /** A call has effects (the callee runs), so an activation that made one is never run again. */
        private CallOutcome call(String function, Map<String, Object> params, boolean wait) {
            ObjectNode json;
            try {
                json = JavaValues.toParams(params);
            } catch (IllegalArgumentException e) {
                return new CallOutcome.Refused(e.getMessage());
            }
            run.hadEffects();
            return blocking(calls.call(revision, request.activationId(), function, json, wait));
        }

        private static InvocationException refused(CallOutcome.Refused r) {
            return new InvocationException(r.message(), "", "refused", Map.of());
        }

        /** A result is an object, or an array (a Kubeless handler's), which comes as {@code {"result": […]}}. */
        private static Map<String, Object> asMap(JsonNode result) {
            return result instanceof ObjectNode object ? JavaValues.toMap(object)
                    : JavaValues.toMap(JavaValues.object().set("result", result));
        }

        private static String errorText(JsonNode result) {
            JsonNode error = result.path("error");
            return error.isTextual() ? error.asText() : error.toString();
        }
    }

    /**
     * Waits for the platform on the activation's virtual thread, which may move to another carrier
     * meanwhile: the budget counts the carrier's allocations up to here, and starts anew after.
     */
    private static <T> T blocking(CompletableFuture<T> answer) {
        Budget.beforeBlocking();
        try {
            return answer.join();
        } finally {
            Budget.afterBlocking();
        }
    }

    /**
     * A Java function's cache: each operation is a request to the platform's cache, as a worker's frame
     * is. A write has effects: an activation that made one is never run again.
     */
    private final class FunctionCache implements Cache {
        private final String activationId;
        private final String scope;
        private final Run run;

        FunctionCache(String activationId, String scope, Run run) {
            this.activationId = activationId;
            this.scope = scope;
            this.run = run;
        }

        @Override
        public Optional<Object> get(String key) {
            JsonNode answer = op("get", key);
            if (answer.has("bytes")) {
                return Optional.of(Base64.getDecoder().decode(answer.path("bytes").asText()));
            }
            return answer.path("found").asBoolean() ? Optional.ofNullable(JavaValues.toJava(answer.path("value")))
                    : Optional.empty();
        }

        @Override
        public void set(String key, Object value) {
            send(write("set", key, value));
        }

        @Override
        public void set(String key, Object value, Duration ttl) {
            send(write("set", key, value).put("ttlMs", ttl.toMillis()));
        }

        @Override
        public boolean setIfAbsent(String key, Object value, Duration ttl) {
            return send(write("setIfAbsent", key, value).put("ttlMs", ttl.toMillis())).path("written").asBoolean();
        }

        /** The request of a write, which has effects: the activation is never run again. */
        private ObjectNode write(String op, String key, Object value) {
            run.hadEffects();
            ObjectNode request = request(op, key);
            if (value instanceof byte[] bytes) {
                request.put("bytes", Base64.getEncoder().encodeToString(bytes));
            } else {
                request.set("value", JavaValues.toJson(value));
            }
            return request;
        }

        @Override
        public boolean delete(String key) {
            run.hadEffects();
            return op("delete", key).path("deleted").asBoolean();
        }

        @Override
        public long increment(String key, long by) {
            run.hadEffects();
            return send(request("increment", key).put("by", by)).path("value").asLong();
        }

        @Override
        public Cache app() {
            return new FunctionCache(activationId, "app", run);
        }

        private JsonNode op(String op, String key) {
            return send(request(op, key));
        }

        private ObjectNode request(String op, String key) {
            return JavaValues.object().put("activation", activationId).put("scope", scope).put("op", op).put("key", key);
        }

        private JsonNode send(ObjectNode request) {
            ObjectNode answer = blocking(calls.cache(revision, request));
            if (answer.has("error")) {
                throw new CacheException(answer.path("error").asText());
            }
            return answer;
        }
    }
}
