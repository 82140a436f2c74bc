package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An invocation accepted to run without its caller waiting (an HTTP 202, a {@code ctx.send}), kept by
 * the store from before it is answered until its activation ends, so that a restart still runs it.
 *
 * @param activationId the id its caller was given, which its activation keeps
 * @param namespace the function's namespace
 * @param name the function's name
 * @param params the parameters as given (the function's defaults are merged when it runs)
 * @param causedBy the activation whose function sent it, if one did
 * @param arrivedMillis when it was accepted, epoch milliseconds
 */
public record QueuedInvocation(String activationId, String namespace, String name, ObjectNode params,
        Optional<String> causedBy, long arrivedMillis) {

    public QueuedInvocation {
        params = params.deepCopy();
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
