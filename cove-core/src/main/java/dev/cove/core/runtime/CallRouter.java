package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Messages;
import dev.cove.core.spi.FunctionCalls.CallOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A worker's calls to other functions (docs/worker-protocol.md, "call"): only on behalf of an
 * activation it runs, each answered with one {@code called} frame. A call that waits for its callee
 * offers the worker that callee to run itself next time ({@link WorkerPeers}).
 */
final class CallRouter {
    private static final byte[] CLOSE = "}\n".getBytes(StandardCharsets.UTF_8);

    private final ProcessWorker worker;
    private final WorkerLink link;
    private final Map<String, WorkerRun> runs;
    private final WorkerPeers peers;

    CallRouter(ProcessWorker worker, WorkerLink link, Map<String, WorkerRun> runs, WorkerPeers peers) {
        this.worker = worker;
        this.link = link;
        this.runs = runs;
        this.peers = peers;
    }

    void onCall(Frames.Decoded frame) {
        JsonNode fields = frame.fields();
        String callId = fields.path("id").asText("");
        JsonNode params = fields.path("params");
        WorkerRun caller = runs.get(fields.path("activation").asText(""));
        Optional<String> refusal = caller == null
                ? Optional.of("A function can call others only while one of its activations runs.")
                : refusal(fields, params, frame.length());
        if (refusal.isPresent()) {
            answer(callId, new CallOutcome.Refused(refusal.get()));
            return;
        }
        ObjectNode given = params.isObject() ? (ObjectNode) params : Frames.object();
        String name = fields.path("name").asText();
        boolean wait = fields.path("wait").asBoolean(true);
        worker.services().calls().call(caller.revision, fields.path("activation").asText(), name, given, wait)
                .whenComplete((outcome, error) -> answer(callId, error == null
                        ? outcome : new CallOutcome.Refused("The call failed inside the platform.")));
        if (wait) {
            peers.offer(name);
        }
    }

    /**
     * A message published on a topic of the function's namespace (docs/worker-protocol.md, "publish"):
     * only on behalf of an activation it runs, answered with one {@code published} frame once the
     * message's fires are stored.
     */
    void onPublish(Frames.Decoded frame) {
        JsonNode fields = frame.fields();
        String id = fields.path("id").asText("");
        WorkerRun publisher = runs.get(fields.path("activation").asText(""));
        JsonNode message = fields.path("message");
        long maxBytes = worker.services().maxResultBytes();
        Optional<String> refusal = publisher == null ? Optional.of(Messages.PUBLISH_OUTSIDE_ACTIVATION)
                : !fields.path("topic").isTextual() ? Optional.of(Messages.PUBLISH_WITHOUT_TOPIC)
                : !message.isObject() ? Optional.of(Messages.MESSAGE_NOT_OBJECT)
                : frame.length() > maxBytes ? Optional.of(Messages.messageTooLarge(frame.length(), maxBytes))
                : Optional.empty();
        if (refusal.isPresent()) {
            link.send(Frames.object().put("type", "published").put("id", id).put("error", refusal.get()));
            return;
        }
        worker.services().calls().publish(publisher.revision, fields.path("activation").asText(),
                fields.path("topic").asText(), (ObjectNode) message).whenComplete((eventId, error) -> {
                    ObjectNode out = Frames.object().put("type", "published").put("id", id);
                    if (error == null) {
                        out.put("eventId", eventId);
                    } else {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        out.put("error", cause instanceof IllegalArgumentException ? cause.getMessage()
                                : Messages.PUBLISH_FAILED);
                    }
                    link.send(out);
                });
    }

    private Optional<String> refusal(JsonNode fields, JsonNode params, int length) {
        if (!fields.path("name").isTextual()) {
            return Optional.of("A call needs the name of the function to call.");
        }
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            return Optional.of("The parameters of a call must be a JSON object.");
        }
        long maxCallBytes = worker.services().maxResultBytes();
        if (length > maxCallBytes) {
            return Optional.of("The call is " + length + " bytes, over the limit of " + maxCallBytes + " bytes.");
        }
        return Optional.empty();
    }

    /** Written by hand: an ended call's result goes in as the bytes it already has. */
    private void answer(String callId, CallOutcome outcome) {
        StringBuilder head = new StringBuilder(96).append("{\"type\":\"called\",\"id\":").append(Frames.quote(callId));
        switch (outcome) {
            case CallOutcome.Refused r -> link.send(utf8(head.append(",\"error\":").append(Frames.quote(r.message()))
                    .append("}\n")));
            case CallOutcome.Accepted a -> link.send(utf8(head.append(",\"activationId\":")
                    .append(Frames.quote(a.activationId())).append("}\n")));
            case CallOutcome.Ended e -> link.send(utf8(head
                    .append(",\"activationId\":").append(Frames.quote(e.activationId()))
                    .append(",\"success\":").append(e.success())
                    .append(",\"status\":").append(Frames.quote(e.status()))
                    .append(",\"result\":")), e.result().bytes(), CLOSE);
        }
    }

    private static byte[] utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
