package dev.cove.worker;

import dev.cove.api.Handler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A worker: a stem cell until its init frame specialises it to one Java function, which it then runs
 * for every run frame, speaking docs/worker-protocol.md.
 *
 * <p>Concurrency: frames are read and dispatched on one thread ({@link FrameReader}). An init runs
 * right there (its static initialisers included), so no run starts before it has ended. A run frame's
 * activation runs on a virtual thread of its own, which calls the function, encodes its result and
 * sends its log frames and its done frame itself; the answers to its calls and cache operations reach
 * it through the reader ({@link Calls}). A fused call runs on its caller's thread, bound to its own
 * activation meanwhile. Frames go out whole, one at a time ({@link Channel}), and an activation's
 * thread sends its log frames before its done frame, so they arrive in that order.
 *
 * <p>Failure modes: whatever a function throws, {@code StackOverflowError} included, ends that
 * activation as a failure and nothing else. An {@code OutOfMemoryError} is the function's memory
 * limit, which the platform sized this JVM's heap for: the worker exits at once with
 * {@link #OUT_OF_MEMORY_STATUS}, as a process over its limit is killed in every runtime (a JVM that ran
 * out of heap may have failed anywhere, in its own threads too). Threads a
 * function leaves behind print as no activation, and what they ask of the platform names an
 * activation that has ended, which the platform refuses. The socket closing halts the process.
 */
final class Worker implements FrameReader.Receiver {
    /** The parameter that says what fired an activation (a trigger, a topic's message): Kubeless-style functions' event. */
    private static final String FIRED_BY = "__cove_event";
    private static final Settings UNINITIALISED = new Settings("", Map.of(), 1048576, 1048576, 50);
    /**
     * The status the worker exits with, at once, when a function runs its heap out of memory: the
     * platform reports that as the function's memory limit for every activation under way
     * (docs/worker-protocol.md, "The Java worker"). At once, with no done frame: the platform must not
     * send this worker another run meanwhile.
     */
    static final int OUT_OF_MEMORY_STATUS = 251;
    /** Of a stack trace in the logs: a huge message stays in the error. */
    private static final int TRACE_CHARS = 65536;
    private static final int RESULT_START_CHARS = 1000;

    private final Channel channel;
    private final Calls calls;
    private final Peers peers = new Peers();
    private final JsonReader reader = new JsonReader();
    private final Activation nobody;
    /** Read and written by the reader thread only. */
    private boolean initialised;
    private volatile Settings settings = UNINITIALISED;
    private volatile Function function;

    Worker(Channel channel) {
        this.channel = channel;
        this.calls = new Calls(channel);
        this.nobody = Activation.nobody(channel);
    }

    /** Where output of no activation goes. */
    Activation nobody() {
        return nobody;
    }

    Settings settings() {
        return settings;
    }

    Calls calls() {
        return calls;
    }

    /**
     * A frame read; one that is not JSON, or of a type this worker does not know, is ignored. Answers
     * a run frame's activation, for a thread to run.
     */
    @Override
    public Runnable onFrame(byte[] line, int off, int len) {
        Map<String, Object> frame;
        try {
            frame = Frames.object(reader.read(line, off, len));
        } catch (MalformedJsonException e) {
            return null; // the platform never sends one
        }
        if (!(frame.get("type") instanceof String type)) {
            return null;
        }
        switch (type) {
            case "run" -> {
                return new Run(this, frame);
            }
            case "called", "cached", "published" -> calls.answer(frame);
            case "init" -> init(frame);
            case "peer" -> offer(frame);
            case "unpeer" -> peers.forget(frame.get("name"));
            default -> { } // uncache (the worker keeps no copies), and frames of later versions
        }
        return null;
    }

    private void offer(Map<String, Object> frame) {
        if (function != null) {
            peers.offer(frame);
        }
    }

    private void init(Map<String, Object> frame) {
        String id = Frames.text(frame, "id");
        if (initialised) {
            Frames.notReady(channel, id, "The worker was already initialised");
            return;
        }
        initialised = true;
        Settings given = Settings.of(frame);
        settings = given;
        Activation activation = new Activation(id, null, 0, 1, given.maxLogBytes(), channel);
        Activation outer = Output.bind(activation);
        try {
            Handler handler = FunctionLoader.load(Frames.text(frame, "entry"), String.valueOf(Frames.text(frame, "main")));
            function = new Function(String.valueOf(Frames.text(frame, "name")),
                    String.valueOf(Frames.text(frame, "version")), handler, given.maxLogBytes());
        } catch (LoadFailure e) {
            activation.end();
            Frames.notReady(channel, id, e.getMessage());
            return;
        } finally {
            Output.restore(outer);
        }
        activation.end();
        Frames.ready(channel, id);
    }

    private void run(Map<String, Object> frame) {
        Function f = function;
        Activation activation = new Activation(Frames.text(frame, "id"), f, Frames.number(frame, "deadline", 0),
                (int) Frames.number(frame, "depth", 1), settings.maxLogBytes(), channel);
        Object params = frame.get("params");
        Ending ending = f == null ? new Ending.Failed("The worker was not initialised")
                : params instanceof List<?> ? new Ending.Failed("The function was given an array of parameters; a Java "
                        + "function takes a JSON object") // as the inline tier says it
                : execute(activation, Frames.object(params));
        finish(activation, ending);
        release(ending);
    }

    /** Calls the activation's function on this thread, as that activation meanwhile. */
    private Ending execute(Activation activation, Map<String, Object> params) {
        params.remove(FIRED_BY); // a Java function is given a fire's payload alone
        Activation outer = Output.bind(activation);
        try {
            return encode(activation.function.handler().handle(params, new RunContext(this, activation)));
        } catch (OutOfMemoryError e) {
            Runtime.getRuntime().halt(OUT_OF_MEMORY_STATUS);
            throw e;
        } catch (Throwable t) { // whatever the function threw is its failure, and ends only its activation
            logStackTrace(t);
            return new Ending.Failed(describe(t));
        } finally {
            Output.restore(outer);
        }
    }

    /**
     * The stack trace, to the activation's stderr (System.err is bound to it), as OpenWhisk's Java runtime
     * prints it; its first 64 K characters, so that a huge message stays in the error.
     */
    private static void logStackTrace(Throwable t) {
        StringWriter trace = new StringWriter();
        try {
            t.printStackTrace(new PrintWriter(trace));
        } catch (Throwable broken) { // the throwable's methods are the function's code too
            trace = new StringWriter().append(describe(t)).append('\n');
        }
        StringBuffer text = trace.getBuffer();
        System.err.print(text.length() <= TRACE_CHARS ? text : text.substring(0, TRACE_CHARS) + "…\n");
    }

    /** The result as JSON, or why it can't be one: not JSON, or over the limit. */
    private Ending encode(Map<String, Object> result) {
        JsonWriter json = JsonWriter.borrow();
        try {
            if (result == null) {
                json.release();
                return new Ending.Failed("The function returned null; it must return a JSON object");
            }
            json.value(result);
        } catch (NotJson e) {
            json.release();
            return new Ending.Failed("The function's result is not valid JSON: " + e.getMessage());
        }
        long max = settings.maxResultBytes();
        if (json.size() > max) { // OpenWhisk's rule: an application error that shows the result's start
            int size = json.size();
            String start = resultStart(json.array(), size);
            json.reset();
            json.raw((byte) '{').string("error").raw((byte) ':').string("The function's result is " + size
                    + " bytes, over the limit of " + max + " bytes; it began: " + start).raw((byte) '}');
        }
        return new Ending.Returned(json);
    }

    /** The first {@value #RESULT_START_CHARS} characters of an encoded result (the platform's own count). */
    private static String resultStart(byte[] utf8, int size) {
        String text = new String(utf8, 0, Math.min(size, RESULT_START_CHARS * 4), StandardCharsets.UTF_8);
        int kept = Math.min(text.length(), RESULT_START_CHARS);
        return text.substring(0, kept > 0 && Character.isHighSurrogate(text.charAt(kept - 1)) ? kept - 1 : kept);
    }

    /** As the in-process tier says it: the class, and the message when there is one. */
    private static String describe(Throwable t) {
        String name = t.getClass().getName();
        try {
            String message = t.getMessage();
            return message == null ? name : name + ": " + message;
        } catch (Throwable broken) { // getMessage is the function's code too
            return name;
        }
    }

    /** Sends the activation's unfinished lines, then its done frame. */
    private void finish(Activation activation, Ending ending) {
        activation.end();
        if (ending instanceof Ending.Returned returned) {
            Frames.done(channel, activation.id, returned.json());
        } else {
            Frames.failed(channel, activation.id, ((Ending.Failed) ending).failure());
        }
    }

    private static void release(Ending ending) {
        if (ending instanceof Ending.Returned returned) {
            returned.json().release();
        }
    }

    // ---- calls to other functions ----

    /**
     * {@code ctx.invoke}: a fused call when the function is a peer that loads and the chain of calls
     * may grow by one, else a call frame. Answers as a called frame does (a refusal has no activation id).
     */
    Map<String, Object> invoke(Activation caller, String name, Map<String, Object> params) {
        JsonWriter given = JsonWriter.borrow();
        try {
            Optional<Map<String, Object>> refusal = encodeParams(params, given);
            if (refusal.isPresent()) {
                return refusal.get();
            }
            Optional<Peers.Peer> peer = fusable(caller) ? peers.loaded(name) : Optional.empty();
            if (peer.isPresent()) {
                return fused(caller, peer.get(), given);
            }
            return calls.call(caller.id, name, given, true);
        } finally {
            given.release();
        }
    }

    /** {@code ctx.send}: always a call frame, since the platform makes a send durable first. */
    Map<String, Object> send(Activation caller, String name, Map<String, Object> params) {
        JsonWriter given = JsonWriter.borrow();
        try {
            Optional<Map<String, Object>> refusal = encodeParams(params, given);
            return refusal.isPresent() ? refusal.get() : calls.call(caller.id, name, given, false);
        } finally {
            given.release();
        }
    }

    /** {@code ctx.publish}: a publish frame, and the published frame that answers it. */
    Map<String, Object> publish(Activation publisher, String topic, Map<String, Object> message) {
        JsonWriter given = JsonWriter.borrow();
        try {
            try {
                given.value(message == null ? Map.of() : message);
            } catch (NotJson e) {
                return withError("The message is not valid JSON: " + e.getMessage());
            }
            long max = settings.maxResultBytes();
            if (given.size() > max) {
                return withError("The message is " + given.size() + " bytes, over the limit of " + max + " bytes.");
            }
            return calls.publish(publisher.id, topic == null ? "" : topic, given);
        } finally {
            given.release();
        }
    }

    /**
     * A call's parameters as JSON into {@code into}; the answer of a refusal when the platform would
     * refuse them, which then needs no frame.
     */
    private Optional<Map<String, Object>> encodeParams(Map<String, Object> params, JsonWriter into) {
        try {
            into.value(params == null ? Map.of() : params);
        } catch (NotJson e) {
            return Optional.of(withError("The parameters of the call are not valid JSON: " + e.getMessage()));
        }
        long max = settings.maxResultBytes(); // the platform's limit on a call, that of a result
        if (into.size() > max) {
            return Optional.of(withError("The call is " + into.size() + " bytes, over the limit of " + max + " bytes."));
        }
        return Optional.empty();
    }

    /** {@code {"error": …}}: a refusal's answer, and a failed callee's result. */
    private static Map<String, Object> withError(String error) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", error);
        return answer;
    }

    /** Not for an activation that has ended (the platform refuses its calls), nor past the chain's limit. */
    private boolean fusable(Activation caller) {
        return !caller.done() && caller.depth < settings.maxCallDepth();
    }

    /**
     * Runs a peer here, on the caller's thread, as a run frame would run it (docs/worker-protocol.md,
     * "fused"), announced first under the id the platform computes too. Its parameters are the peer's
     * with the call's over them, decoded afresh, and its result reaches the caller decoded afresh, so
     * neither side sees the other's objects.
     */
    private Map<String, Object> fused(Activation caller, Peers.Peer peer, JsonWriter given) {
        Function callee = peer.function().orElseThrow();
        Map<String, Object> params = peer.params();
        params.putAll(Frames.object(JsonReader.parse(given.array(), 0, given.size())));
        String id = caller.fuse(peer.name, peer.version);
        Activation activation = new Activation(id, callee, System.currentTimeMillis() + peer.timeoutMs,
                caller.depth + 1, callee.maxLogBytes(), channel);
        Ending ending = execute(activation, params);
        finish(activation, ending);
        try {
            return calledAnswer(id, ending);
        } finally {
            release(ending);
        }
    }

    /** How a fused call ended, as the platform's called frame would say it. */
    private static Map<String, Object> calledAnswer(String id, Ending ending) {
        Map<String, Object> result;
        String status;
        if (ending instanceof Ending.Returned returned) {
            result = Frames.object(JsonReader.parse(returned.json().array(), 0, returned.json().size()));
            status = result.containsKey("error") ? "application error" : "success";
        } else {
            result = withError(((Ending.Failed) ending).failure());
            status = "action developer error";
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("activationId", id);
        answer.put("success", status.equals("success"));
        answer.put("status", status);
        answer.put("result", result);
        return answer;
    }

    /** A run frame's activation, for a thread to run. */
    private static final class Run implements Runnable {
        private final Worker worker;
        private final Map<String, Object> frame;

        Run(Worker worker, Map<String, Object> frame) {
            this.worker = worker;
            this.frame = frame;
        }

        @Override
        public void run() {
            worker.run(frame);
        }
    }
}
