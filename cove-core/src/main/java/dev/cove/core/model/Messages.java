package dev.cove.core.model;

/**
 * The words Cove's users read when something is refused or fails, in one place so that they read
 * alike, carry their numbers, and are changed once. Each says what happened and, where there is
 * one, what to do; none carries an internal exception's text.
 */
public final class Messages {
    private Messages() {}

    public static final String SHUTTING_DOWN = "The platform is shutting down.";
    public static final String OVERLOADED =
            "The platform is overloaded: activation records are not being stored fast enough. Try again shortly.";
    public static final String REDEPLOYED = "The function was redeployed or deleted.";
    public static final String COULD_NOT_START = "The platform could not start the function.";
    public static final String CALL_PARAMETERS_NOT_OBJECT = "The parameters of a call must be a JSON object.";

    public static String tooManyRequests(String function, int waiting, int maxInstances) {
        return "Too many requests: " + function + " has " + waiting + " activations waiting and all of its "
                + maxInstances + " instances busy.";
    }

    public static String chainTooDeep(int depth, int maxDepth) {
        return "The call would make a chain of " + depth + " activations, over the limit of " + maxDepth
                + ": a function that calls itself needs a condition that ends the chain.";
    }

    public static String overTimeLimit(long timeoutMs) {
        return "The function exceeded its time limit of " + timeoutMs + " ms.";
    }

    public static String overTimeLimitAtInit(long timeoutMs) {
        return "The function exceeded its time limit of " + timeoutMs + " ms during initialization.";
    }

    public static String stoppedForTimeout(String activationId) {
        return "The function's instance was stopped because activation " + activationId
                + " ran past its time limit.";
    }

    public static String failedToInitialise(String why) {
        return "The function failed to initialise: " + why;
    }

    /** The workers' own words for it too (runtimes/), so that the message is the same whoever noticed. */
    public static String resultTooLarge(long size, long maxBytes, String start) {
        return "The function's result is " + size + " bytes, over the limit of " + maxBytes + " bytes; it began: "
                + start;
    }

    public static String errorTooLarge(long size, long maxBytes, String start) {
        return "The function's error is " + size + " bytes, over the limit of " + maxBytes + " bytes; it began: "
                + start;
    }

    public static String applicationHasTheName(String name) {
        return "The application " + name + " has that name; a function outside it can't.";
    }

    public static String functionBelongsTo(String function, String application) {
        return "The function " + function + " belongs to the application " + application + ".";
    }

    public static String sequenceComponentOutsideNamespace(String component) {
        return "A sequence's components are actions of its own namespace; " + component + " is not.";
    }

    public static String sequenceComponentMissing(String component) {
        return "Sequence component does not exist: " + component + ".";
    }

    public static String sequenceCallsItself(String component) {
        return "The sequence would call itself through " + component + ".";
    }

    public static String sequenceInApplication(String function) {
        return "The function " + function + ": a sequence can't be part of an application; the application's "
                + "workflow chains its functions.";
    }

    /** A deployment's error about one of its functions. */
    public static String ofFunction(String function, String message) {
        return "The function " + function + ": " + message;
    }

    public static String noWorkflow(String application) {
        return "The application " + application + " has no workflow.";
    }
}
