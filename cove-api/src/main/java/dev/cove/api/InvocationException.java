package dev.cove.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A call to another function ({@link Context#invoke}, {@link Context#send}) that did not succeed. */
public final class InvocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String activationId;
    private final String status;
    private final transient Map<String, Object> result;

    /**
     * @param message the called function's error, or why the call was refused
     * @param activationId the called activation's id; empty when the call was refused
     * @param status how it ended, as activations say it ({@code application error}, …), or
     *     {@code refused}
     * @param result its result ({@code {"error": …}} when it failed); empty when refused
     */
    public InvocationException(String message, String activationId, String status, Map<String, Object> result) {
        super(message);
        this.activationId = activationId;
        this.status = status;
        this.result = Collections.unmodifiableMap(new LinkedHashMap<>(result));
    }

    /** The called activation's id, when the call got as far as one. */
    public Optional<String> activationId() {
        return activationId.isEmpty() ? Optional.empty() : Optional.of(activationId);
    }

    public String status() {
        return status;
    }

    public Map<String, Object> result() {
        return result;
    }
}
