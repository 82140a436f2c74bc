package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import dev.cove.core.spi.InProcessInstance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import java.util.List;

/**
 * An OpenWhisk sequence: its components called one after another over the local bus, each one's result
 * the next one's parameters (an array too, as OpenWhisk passes it on). Each component's activation records the sequence's as its
 * {@code causedBy}, and the sequence's logs list the components' activation ids, as OpenWhisk's do.
 * The first component that does not succeed ends the sequence with its result, as a developer error
 * when it was one (or, when the call was refused, as a developer error with the reason). Nothing runs
 * in a process of its own: one instance serves any number of activations at once.
 */
final class SequenceInstance extends InProcessInstance {
    private final FunctionRevision revision;
    private final List<String> components;
    private final Calls calls;

    SequenceInstance(FunctionRevision revision, List<String> components, Calls calls) {
        this.revision = revision;
        this.components = List.copyOf(components);
        this.calls = calls;
    }

    @Override
    public void run(RunRequest request, RunListener listener) {
        step(0, request.activationId(), request.params(), listener);
    }

    private void step(int index, String activationId, JsonNode params, RunListener listener) {
        if (killReason().isPresent()) {
            listener.done(new RunOutcome.Crashed(killReason().get()));
            return;
        }
        calls.call(revision, activationId, components.get(index), params, true).whenComplete((outcome, error) -> {
            switch (outcome == null ? new CallOutcome.Refused("The call failed inside the platform.") : outcome) {
                case CallOutcome.Ended e -> {
                    listener.log("stdout", e.activationId());
                    JsonNode result = e.result().tree();
                    if (!e.success() && "action developer error".equals(e.status())) { // the sequence's too, as in OpenWhisk
                        JsonNode cause = result.path("error");
                        listener.done(new RunOutcome.Failed(cause.isTextual() ? cause.asText() : cause.toString()));
                    } else if (!e.success() || index + 1 == components.size() || !(result.isObject() || result.isArray())) {
                        listener.done(new RunOutcome.Returned(e.result()));
                    } else {
                        step(index + 1, activationId, result, listener);
                    }
                }
                case CallOutcome.Refused r -> listener.done(new RunOutcome.Failed(
                        "The sequence's component " + components.get(index) + " could not be called: " + r.message()));
                case CallOutcome.Accepted a -> listener.done(new RunOutcome.Failed("a waited-for call was only accepted"));
            }
        });
    }
}
