package dev.cove.core.model;

/** What the caller asks is not allowed for what it names; the message says why (HTTP 403). */
public final class ForbiddenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
