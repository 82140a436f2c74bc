package dev.cove.core.workflow;

import java.util.concurrent.CompletableFuture;

/** A running workflow, as {@link Workflow#start} returns it. */
interface Execution {

    String id();

    /** Completes once, when the execution ends, however it ends; never exceptionally. */
    CompletableFuture<Outcome> outcome();

    /**
     * Stops the execution (the platform is shutting down, or a user asked): the tasks under way are
     * cancelled and the outcome is {@link Outcome.Status#ABORTED} with this cause. Does nothing if it
     * has ended already.
     */
    void cancel(String cause);
}
