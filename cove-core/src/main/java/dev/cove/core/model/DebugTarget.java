package dev.cove.core.model;

/** Where a debug shell opens: the sandbox a failed activation was kept in, or a live instance's of a function. */
public sealed interface DebugTarget {

    /** What a refusal says when there is nothing to open the shell in. */
    String missing();

    /** The sandbox a failed activation ran in, kept as the failure left it ({@link Debugging}). */
    record FailedActivation(String activationId) implements DebugTarget {
        @Override
        public String missing() {
            return Messages.notKeptForDebugging(activationId);
        }
    }

    /** The sandbox of one of a function's instances now started, busy or not. */
    record LiveInstance(String function) implements DebugTarget {
        @Override
        public String missing() {
            return Messages.noLiveInstance(function);
        }
    }
}
