package dev.cove.core.model;

/** Something the node relies on is away for now (the topics' NATS): the message says what; try again (HTTP 503). */
public final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
