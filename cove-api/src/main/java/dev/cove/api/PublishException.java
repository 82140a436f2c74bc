package dev.cove.api;

/** A message the platform did not publish; the message says why. */
public final class PublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PublishException(String message) {
        super(message);
    }
}
