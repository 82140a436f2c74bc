package dev.cove.worker;

/** Why a function's class can't run; the message is the init's error, as the in-process tier words it. */
final class LoadFailure extends Exception {
    private static final long serialVersionUID = 1L;

    LoadFailure(String message) {
        super(message, null, false, false);
    }
}
