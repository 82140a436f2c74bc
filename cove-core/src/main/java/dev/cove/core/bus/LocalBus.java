package dev.cove.core.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.invoke.AsyncInvocations;
import dev.cove.core.invoke.Dispatcher;
import dev.cove.core.model.Activation;
import dev.cove.core.model.Admission;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Messages;
import dev.cove.core.model.TopicMessage;
import dev.cove.core.registry.Registry;
import dev.cove.core.runtime.Calls;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.RunListener;
import dev.cove.core.trigger.Triggers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Calls between functions on one node ({@code ctx.invoke}, {@code ctx.send}), taken straight from the
 * caller's worker channel to the dispatcher: no HTTP, no authentication round trip (the caller's
 * namespace is the one its function belongs to), and the record written by the activation log's group
 * commit like any other, never synchronously. A {@code send} is the exception: like every invocation
 * nobody waits for, it is in the store before it is answered (see {@link AsyncInvocations}).
 *
 * <p>A call reaches the functions of the caller's namespace: those of its own application, and the
 * others with the same rights as the caller's namespace has over HTTP. On a single node both stay in
 * this process; the distinction is the application, which decides what shares a sandbox. A call to a
 * function of the caller's own application that its worker can host is run by that worker itself once
 * it has been offered the callee ({@link #revisionOf}, {@link #fused}; docs/worker-protocol.md, "peer").
 *
 * <p>Failure modes: a call to a missing function, or one the dispatcher refuses (a full queue, a
 * shutdown), answers {@link CallOutcome.Refused} at once; an admitted one always ends, by its
 * outcome or its own time limit. A chain of calls stops at {@link Calls#MAX_CALL_DEPTH}; a
 * function that calls itself and waits holds an instance per level until then, each level's wait
 * counting against the caller's own deadline.
 *
 * <p>A function may also call others through the REST API, as OpenWhisk's may: its environment says
 * where ({@link #apiEnvironment}).
 */
public final class LocalBus implements Calls {
    private final Registry registry;
    private final Dispatcher dispatcher;
    private final AsyncInvocations async;
    private final Supplier<String> apiHost;
    private final Triggers triggers;

    /** The embedded message bus: topics within this process. */
    public static MessageBus topics() {
        return new MemoryTopics();
    }

    private LocalBus(Registry registry, Dispatcher dispatcher, AsyncInvocations async, Supplier<String> apiHost,
            Triggers triggers) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.async = async;
        this.apiHost = apiHost;
        this.triggers = triggers;
    }

    /**
     * Calls that wait go to the dispatcher; sends are first made durable by {@code async}. {@code apiHost}
     * is where functions reach the REST API, empty until the server has said where it listens.
     */
    public static LocalBus create(Registry registry, Dispatcher dispatcher, AsyncInvocations async,
            Supplier<String> apiHost, Triggers triggers) {
        return new LocalBus(registry, dispatcher, async, apiHost, triggers);
    }

    @Override
    public CompletableFuture<CallOutcome> call(FunctionRevision caller, String callerId, String target,
            JsonNode params, boolean wait) {
        Optional<String> invalid = invalidName(target);
        if (invalid.isPresent()) {
            return refused(invalid.get());
        }
        Optional<FunctionRevision> callee = registry.function(caller.namespace(), target);
        if (callee.isEmpty()) {
            return refused(Messages.noSuchFunction(target, caller.namespace()));
        }
        if (!wait && !(params instanceof ObjectNode)) {
            return refused(Messages.CALL_PARAMETERS_NOT_OBJECT);
        }
        if (!wait) {
            return async.submitFrom(callerId, callee.get(), (ObjectNode) params).thenApply(admission -> switch (admission) {
                case Admission.Rejected r -> new CallOutcome.Refused(r.message());
                case Admission.Accepted a -> new CallOutcome.Accepted(a.activationId());
            });
        }
        return switch (dispatcher.invokeFrom(callerId, callee.get(), params)) {
            case Admission.Rejected r -> refused(r.message());
            case Admission.Accepted a -> a.completion().thenApply(LocalBus::ended);
        };
    }

    @Override
    public Optional<FunctionRevision> revisionOf(FunctionRevision caller, String target) {
        return invalidName(target).isPresent() ? Optional.empty() : registry.function(caller.namespace(), target);
    }

    /** A call the caller's worker runs itself: recorded by the dispatcher like the others. */
    @Override
    public RunListener fused(String callerId, String activationId, FunctionRevision callee, Instance host) {
        return dispatcher.adopt(callerId, activationId, callee, host);
    }

    @Override
    public boolean refusing() {
        return dispatcher.refusing();
    }

    /** A message a function publishes gets an id of its own: its publisher's activation, and a random part. */
    @Override
    public CompletableFuture<String> publish(FunctionRevision caller, String callerId, String topic, ObjectNode message) {
        try {
            FunctionSpec.requireName("topic", topic);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String eventId = callerId + "-" + UUID.randomUUID().toString().substring(0, 8);
        return triggers.publish(caller.namespace(), topic, message, eventId).thenApply(TopicMessage::eventId);
    }

    /**
     * OpenWhisk's {@code __OW_API_HOST} (once the server has said where it listens), and
     * {@code __OW_API_KEY}, the namespace's {@code uuid:key}, only for a function annotated
     * {@code provide-api-key} with a true value.
     */
    @Override
    public Map<String, String> apiEnvironment(FunctionRevision function) {
        Map<String, String> env = new LinkedHashMap<>();
        String host = apiHost.get();
        if (!host.isEmpty()) {
            env.put("__OW_API_HOST", host);
        }
        if (function.spec().annotated(FunctionSpec.PROVIDE_API_KEY)) {
            registry.namespace(function.namespace()).ifPresent(n -> env.put("__OW_API_KEY", n.auth()));
        }
        return env;
    }

    private static Optional<String> invalidName(String target) {
        if (target.indexOf('/') >= 0) {
            return Optional.of("A call names a function of the caller's own namespace, without a namespace or"
                    + " slashes; was '" + target + "'.");
        }
        try {
            FunctionSpec.requireName(target);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static CallOutcome ended(Activation a) {
        return new CallOutcome.Ended(a.activationId(), a.status().success(), a.status().label(), a.result());
    }

    private static CompletableFuture<CallOutcome> refused(String message) {
        return CompletableFuture.completedFuture(new CallOutcome.Refused(message));
    }
}
