package dev.cove.core.workflow;

/**
 * A workflow definition Cove refuses at deployment. The message names the state (and the branch or
 * iterator it sits in) and says what is wrong, e.g. {@code state "Fetch": Next names "Fetchh", which is
 * not a state}; it is meant for the user who wrote the definition.
 */
final class InvalidWorkflowException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidWorkflowException(String message) {
        super(message);
    }
}
