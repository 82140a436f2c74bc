package dev.cove.core.spi;

/** An instance could not be started; {@link #cause()} says whose fault that is. */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose fault. */
    public enum Fault {
        /** The function's code failed to load (a syntax error, a throwing initialiser, a missing entry point). */
        FUNCTION,
        /** Loading the code took longer than the function's time limit. */
        TIMEOUT,
        /** No worker could be had (the interpreter is missing or keeps failing, the platform is stopping). */
        PLATFORM
    }

    private final Fault fault;

    public StartFailure(Fault fault, String message) {
        super(message, null, false, false);
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }
}
