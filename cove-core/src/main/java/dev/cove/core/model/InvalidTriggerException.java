package dev.cove.core.model;

/** A trigger or rule that can't be stored as given; the message says why, for its author (HTTP 400). */
public final class InvalidTriggerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidTriggerException(String message) {
        super(message);
    }
}
