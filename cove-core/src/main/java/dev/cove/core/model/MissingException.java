package dev.cove.core.model;

/** Something a request names does not exist; the message says what (HTTP 404). */
public final class MissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingException(String message) {
        super(message);
    }
}
