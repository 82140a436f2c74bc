package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A workflow execution as the store keeps it: the fields it is queried by, and its whole document
 * (input, outcome, history) as the REST API shows it.
 *
 * @param executionId 32 hex characters, made as activation ids are
 * @param namespace the application's namespace
 * @param application the application whose workflow it runs
 * @param status {@code RUNNING} until it ends, then how it ended
 * @param startMillis when it started, epoch milliseconds
 * @param document the execution as the REST API shows it
 */
public record ExecutionRecord(String executionId, String namespace, String application, String status,
        long startMillis, ObjectNode document) {

    public static final String RUNNING = "RUNNING";

    public ExecutionRecord {
        document = document.deepCopy();
    }

    @Override
    public ObjectNode document() {
        return document.deepCopy();
    }
}
