package dev.cove.api;

/** A cache operation the platform refused; the message says why, with the numbers. */
public final class CacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CacheException(String message) {
        super(message);
    }
}
