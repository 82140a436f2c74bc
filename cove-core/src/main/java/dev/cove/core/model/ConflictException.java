package dev.cove.core.model;

/** A deployment would take a name that something else holds; the message says what (HTTP 409). */
public final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
