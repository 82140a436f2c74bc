package dev.cove.worker;

/** Text that is not JSON; the message says where (a byte offset) and what was wrong. */
final class MalformedJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
        super(message);
    }
}
