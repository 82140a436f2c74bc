package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.api.Cache;
import dev.cove.api.CacheException;
import dev.cove.api.Context;
import dev.cove.api.Handler;
import dev.cove.api.InvocationException;
import dev.cove.core.registry.FunctionRevision;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Java function loaded in its own class loader inside the platform (the inline tier). Each
 * activation runs on a virtual thread. The function sees the JDK and {@code dev.cove.api}, nothing of
 * the platform ({@link VirtualStarts} starts them). Killing the instance interrupts its activations and drops the loader; a thread that
 * ignores interrupts keeps its CPU until it ends, which is why hostile code belongs in a process tier.
 */
final class JavaInstance extends InProcessInstance {
    private final FunctionRevision revision;
    private final URLClassLoader loader;
    private final Handler handler;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final long maxResultBytes;
    private final Calls calls;

    private JavaInstance(FunctionRevision revision, URLClassLoader loader, Handler handler, long maxResultBytes,
            Calls calls) {
        this.revision = revision;
        this.loader = loader;
        this.handler = handler;
        this.maxResultBytes = maxResultBytes;
        this.calls = calls;
    }

    /** Loads the class and finds its shape; static initialisers run here, printing to the init's logs. */
    static JavaInstance load(FunctionRevision revision, Path entry, long maxResultBytes, RunListener initLogs,
            Calls calls) throws StartFailure {
        String className = revision.spec().main();
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("function-" + revision.name(), new URL[] {entry.toUri().toURL()},
                    ApiOnlyLoader.INSTANCE);
        } catch (IOException e) {
            throw new StartFailure(StartFailure.Fault.FUNCTION, "cannot read the function's classes: " + e.getMessage());
        }
        ThreadOutput.bind(initLogs);
        try {
            Class<?> type = Class.forName(className, true, loader);
            return new JavaInstance(revision, loader, handlerOf(type), maxResultBytes, calls);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            close(loader);
            throw new StartFailure(StartFailure.Fault.FUNCTION, "the class " + className + " could not be loaded: " + e.getMessage());
        } catch (ExceptionInInitializerError e) {
            close(loader);
            throw new StartFailure(StartFailure.Fault.FUNCTION, "the class " + className + " failed to initialise: " + e.getCause());
        } catch (StartFailure e) {
            close(loader);
            throw e;
        } finally {
            ThreadOutput.unbind();
        }
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
        Thread self = Thread.currentThread();
        running.add(self);
        ThreadOutput.bind(listener);
        RunOutcome outcome;
        try {
            Optional<String> killed = killReason();
            if (killed.isPresent()) {
                outcome = new RunOutcome.Crashed(killed.get());
            } else {
                Map<String, Object> params = JavaValues.toMap(request.params());
                Map<String, Object> result = handler.handle(params, new RunContext(request));
                outcome = JavaValues.toResult(result, maxResultBytes);
            }
        } catch (Throwable t) {
            outcome = killReason().<RunOutcome>map(RunOutcome.Crashed::new).orElseGet(() -> new RunOutcome.Failed(describe(t)));
        } finally {
            ThreadOutput.unbind();
            running.remove(self);
        }
        listener.done(outcome);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
    }

    @Override
    void onKill() {
        running.forEach(Thread::interrupt);
        close(loader);
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing more can be done for a loader that won't close
        }
    }

    /** What a function may know of its activation. */
    private final class RunContext implements Context {
        private final RunRequest request;

        RunContext(RunRequest request) {
            this.request = request;
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
            return new FunctionCache(request.activationId(), "function");
        }

        @Override
        public Map<String, Object> invoke(String function, Map<String, Object> params) {
            return switch (call(function, params, true)) {
                case Calls.CallOutcome.Ended e when e.success() -> asMap(e.result().tree());
                case Calls.CallOutcome.Ended e -> throw new InvocationException(errorText(e.result().tree()),
                        e.activationId(), e.status(), asMap(e.result().tree()));
                case Calls.CallOutcome.Refused r -> throw refused(r);
                case Calls.CallOutcome.Accepted a -> throw new IllegalStateException("a waited-for call was only accepted");
            };
        }

        @Override
        public String send(String function, Map<String, Object> params) {
            return switch (call(function, params, false)) {
                case Calls.CallOutcome.Accepted a -> a.activationId();
                case Calls.CallOutcome.Refused r -> throw refused(r);
                case Calls.CallOutcome.Ended e -> e.activationId();
            };
        }

        private Calls.CallOutcome call(String function, Map<String, Object> params, boolean wait) {
            ObjectNode json;
            try {
                json = JavaValues.toParams(params);
            } catch (IllegalArgumentException e) {
                return new Calls.CallOutcome.Refused(e.getMessage());
            }
            return calls.call(revision, request.activationId(), function, json, wait).join();
        }

        private static InvocationException refused(Calls.CallOutcome.Refused r) {
            return new InvocationException(r.message(), "", "refused", Map.of());
        }

        /** A result is an object, or an array (a Kubeless handler's), which comes as {@code {"result": […]}}. */
        private static Map<String, Object> asMap(JsonNode result) {
            return result instanceof ObjectNode object ? JavaValues.toMap(object)
                    : JavaValues.toMap(Frames.object().set("result", result));
        }

        private static String errorText(JsonNode result) {
            JsonNode error = result.path("error");
            return error.isTextual() ? error.asText() : error.toString();
        }
    }

    /** A Java function's cache: each operation is a request to the platform's cache, as a worker's frame is. */
    private final class FunctionCache implements Cache {
        private final String activationId;
        private final String scope;

        FunctionCache(String activationId, String scope) {
            this.activationId = activationId;
            this.scope = scope;
        }

        @Override
        public Optional<Object> get(String key) {
            JsonNode answer = op("get", key);
            if (answer.has("bytes")) {
                return Optional.of(java.util.Base64.getDecoder().decode(answer.path("bytes").asText()));
            }
            return answer.path("found").asBoolean() ? Optional.ofNullable(JavaValues.toJava(answer.path("value")))
                    : Optional.empty();
        }

        @Override
        public void set(String key, Object value) {
            set(key, value, Optional.empty());
        }

        @Override
        public void set(String key, Object value, Duration ttl) {
            set(key, value, Optional.of(ttl));
        }

        @Override
        public boolean setIfAbsent(String key, Object value, Duration ttl) {
            return write("setIfAbsent", key, value, Optional.of(ttl)).path("written").asBoolean();
        }

        private void set(String key, Object value, Optional<Duration> ttl) {
            write("set", key, value, ttl);
        }

        private JsonNode write(String op, String key, Object value, Optional<Duration> ttl) {
            ObjectNode request = request(op, key);
            if (value instanceof byte[] bytes) {
                request.put("bytes", java.util.Base64.getEncoder().encodeToString(bytes));
            } else {
                request.set("value", JavaValues.toJson(value));
            }
            ttl.ifPresent(t -> request.put("ttlMs", t.toMillis()));
            return send(request);
        }

        @Override
        public boolean delete(String key) {
            return op("delete", key).path("deleted").asBoolean();
        }

        @Override
        public long increment(String key, long by) {
            return send(request("increment", key).put("by", by)).path("value").asLong();
        }

        @Override
        public Cache app() {
            return new FunctionCache(activationId, "app");
        }

        private JsonNode op(String op, String key) {
            return send(request(op, key));
        }

        private ObjectNode request(String op, String key) {
            return Frames.object().put("activation", activationId).put("scope", scope).put("op", op).put("key", key);
        }

        private JsonNode send(ObjectNode request) {
            ObjectNode answer = calls.cache(revision, request, Optional.empty()).join();
            if (answer.has("error")) {
                throw new CacheException(answer.path("error").asText());
            }
            return answer;
        }
    }

    /**
     * The parent of every function's loader: the JDK and the Cove API, nothing else of the platform, so a
     * function can't reach the store, the dispatcher or the platform's libraries.
     */
    private static final class ApiOnlyLoader extends ClassLoader {
        static final ApiOnlyLoader INSTANCE = new ApiOnlyLoader();
        private static final ClassLoader PLATFORM = Handler.class.getClassLoader();

        private ApiOnlyLoader() {
            super("cove-api-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.cove.api.")) {
                return PLATFORM.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
