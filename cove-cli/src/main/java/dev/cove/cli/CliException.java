package dev.cove.cli;

/** A failure the user can act on; its message is printed as it is, on one line, and cove exits 1. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message, null, false, false);
    }
}
