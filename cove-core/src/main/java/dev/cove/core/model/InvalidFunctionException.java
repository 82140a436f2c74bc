package dev.cove.core.model;

/** A deployment the runtime can't accept: a compile error, a broken archive, a missing entry point. */
public final class InvalidFunctionException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidFunctionException(String message) {
        super(message);
    }
}
