package dev.cove.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An activation as the store keeps it: the fields it is queried by, and its document.
 *
 * @param activationId 32 hex characters
 * @param namespace the function's namespace
 * @param name the function's name
 * @param startMillis epoch milliseconds
 * @param endMillis epoch milliseconds
 * @param statusCode 0 success, 1 application error, 2 developer error, 3 platform error
 * @param document the activation as the REST API shows it
 * @param causedBy the activation whose function called this one, if one did
 */
public record ActivationRecord(
        String activationId, String namespace, String name, long startMillis, long endMillis, int statusCode,
        ActivationDocument document, Optional<String> causedBy) {

    /** A record whose document is the given UTF-8 JSON. */
    public ActivationRecord(String activationId, String namespace, String name, long startMillis, long endMillis,
            int statusCode, byte[] json, Optional<String> causedBy) {
        this(activationId, namespace, name, startMillis, endMillis, statusCode, ActivationDocument.of(json), causedBy);
    }

    /** A record of an activation that no other caused, whose document is the given UTF-8 JSON. */
    public ActivationRecord(String activationId, String namespace, String name, long startMillis, long endMillis,
            int statusCode, byte[] json) {
        this(activationId, namespace, name, startMillis, endMillis, statusCode, json, Optional.empty());
    }

    /** The activation as the REST API shows it, UTF-8 JSON; callers must not change the array. */
    public byte[] json() {
        return document.json();
    }

    /** For tests and logs: the JSON as text. */
    public String jsonText() {
        return new String(json(), StandardCharsets.UTF_8);
    }
}
