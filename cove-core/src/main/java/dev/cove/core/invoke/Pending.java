package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Messages;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An admitted activation from arrival to its record. It ends exactly once, by whichever comes first:
 * its outcome, its timeout, or a failure to start an instance for it.
 */
final class Pending implements RunListener {
    /** How much of an error message over the result limit is kept. */
    private static final int ERROR_START_CHARS = 1000;

    final String activationId;
    final FunctionRevision revision;
    final JsonNode params;
    final Instant arrived;
    final Optional<String> causedBy;
    final LogBuffer logs;
    final CompletableFuture<Activation> completion = new CompletableFuture<>();

    private final Clock clock;
    private final long maxResultBytes;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Instant started;
    private volatile Optional<Duration> initTime = Optional.empty();
    private volatile Consumer<Activation> onEnd = a -> {};
    /** Where a {@link RunOutcome.Rerun} goes: back to its pool's queue; ends it as crashed where there is none. */
    private volatile Consumer<String> onRerun = reason -> end(ActivationStatus.DEVELOPER_ERROR, error(reason));
    /** The tier of the instance that ran it, or was to. */
    volatile Optional<TierVerdict> tier = Optional.empty();
    /** The activation it runs again ({@code cove replay}), set before it is admitted. */
    volatile Optional<String> replayOf = Optional.empty();
    /** Whether its instance is kept for a debugger however it ends ({@code cove replay --debug}). */
    volatile boolean keepForDebugging;
    volatile Deadlines.Armed deadline = () -> {};

    Pending(String activationId, FunctionRevision revision, JsonNode params, Optional<String> causedBy, Clock clock,
            long maxLogBytes, long maxResultBytes) {
        this.activationId = activationId;
        this.causedBy = causedBy;
        this.revision = revision;
        this.params = params;
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
        this.arrived = clock.instant();
        this.logs = new LogBuffer(maxLogBytes, clock);
    }

    /**
     * It leaves the queue now. When it caused a cold start, it began when that start did (its duration
     * includes the init time, as in OpenWhisk), and the init's logs come first in its own.
     */
    void begin(Instant at, Optional<Duration> coldInit, List<String> initLogs) {
        Instant begun = coldInit.map(at::minus).orElse(at);
        started = begun.isBefore(arrived) ? arrived : begun;
        initTime = coldInit;
        if (!initLogs.isEmpty()) {
            logs.prepend(initLogs);
        }
    }

    void onEnd(Consumer<Activation> callback) {
        onEnd = callback;
    }

    void onRerun(Consumer<String> callback) {
        onRerun = callback;
    }

    boolean ended() {
        return ended.get();
    }

    @Override
    public void log(String stream, String line) {
        if (!ended.get()) {
            logs.add(stream, line);
        }
    }

    @Override
    public void done(RunOutcome outcome) {
        switch (outcome) {
            case RunOutcome.Returned r -> returned(r.result());
            case RunOutcome.Failed f -> end(ActivationStatus.DEVELOPER_ERROR, failure(f.message()));
            case RunOutcome.Crashed c -> end(ActivationStatus.DEVELOPER_ERROR, error(c.message()));
            case RunOutcome.Rerun r -> onRerun.accept(r.reason());
        }
    }

    private void returned(JsonValue result) {
        int size = result.bytes().length;
        if (size > maxResultBytes) { // OpenWhisk's rule: an application error that shows the result's start
            end(ActivationStatus.APPLICATION_ERROR, error(tooLarge(size, maxResultBytes, start(result.bytes()))));
        } else {
            end(classify(result.tree()), result);
        }
    }

    /** The workers' own words for it (runtimes/), so that the message is the same whoever noticed. */
    static String tooLarge(long size, long maxResultBytes, String start) {
        return Messages.resultTooLarge(size, maxResultBytes, start);
    }

    /** The first {@value #ERROR_START_CHARS} characters of an encoded result. */
    private static String start(byte[] utf8) {
        String text = new String(utf8, 0, Math.min(utf8.length, ERROR_START_CHARS * 4), StandardCharsets.UTF_8);
        return cut(text);
    }

    private static String cut(String text) {
        int kept = Math.min(text.length(), ERROR_START_CHARS);
        if (kept > 0 && Character.isHighSurrogate(text.charAt(kept - 1))) {
            kept--;
        }
        return text.substring(0, kept);
    }

    /** The function's own error message, which is a result too: one over the limit keeps only its start. */
    private JsonValue failure(String message) {
        JsonValue result = error(message);
        if ((long) message.length() * 6 + 16 <= maxResultBytes) { // a char is at most 6 bytes of JSON
            return result;
        }
        int size = result.bytes().length;
        if (size <= maxResultBytes) {
            return result;
        }
        return error(Messages.errorTooLarge(size, maxResultBytes, cut(message)));
    }

    /** OpenWhisk's rule: a result with an {@code error} field is the application's own error. */
    static ActivationStatus classify(JsonNode result) {
        return result.isObject() && result.has("error") ? ActivationStatus.APPLICATION_ERROR : ActivationStatus.SUCCESS;
    }

    static JsonValue error(String message) {
        return JsonValue.of(JsonNodeFactory.instance.objectNode().put("error", message));
    }

    /** Ends it; answers false when it had already ended. */
    boolean end(ActivationStatus status, JsonValue result) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        Instant end = clock.instant();
        Instant begin = started == null ? end : started;
        Activation activation = new Activation(activationId, revision, begin, end, status, result, logs.lines(),
                initTime, Duration.between(arrived, begin), causedBy, tier, replayOf);
        onEnd.accept(activation);
        completion.complete(activation);
        return true;
    }
}
