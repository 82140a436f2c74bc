package dev.cove.core.workflow;

/**
 * A state's error raised while its input or output is processed (a path that matches nothing, a Wait
 * that reads no number), thrown to the interpreter, which routes it like any state error. It has no
 * stack trace: it is an answer, not a bug.
 */
final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String error;

    Fault(String error, String cause) {
        super(cause, null, false, false);
        this.error = error;
    }

    static Fault runtime(String cause) {
        return new Fault(Failure.RUNTIME, cause);
    }

    Failure failure() {
        return Failure.of(error, getMessage());
    }
}
