package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.ExecutionStarted;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Workflow executions: {@code POST …/applications/{name}/executions} starts the application's workflow
 * with the body as its input; {@code GET …/executions} lists them, {@code GET …/executions/{id}} shows
 * one with its history.
 */
final class WorkflowExecutions {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    /** How long a blocking start waits for the execution before answering 202 with its id. */
    private static final Duration BLOCKING_WAIT = Duration.ofMinutes(5);
    private static final int DEFAULT_LIMIT = 30;
    private static final int MAX_LIMIT = 200;

    private final Node platform;

    WorkflowExecutions(Node platform) {
        this.platform = platform;
    }

    void start(Exchange ex, String ns, String application, Buffer body) {
        try {
            boolean blocking = ex.query().flag("blocking", false);
            ObjectNode input = Exchange.jsonObject(body);
            ex.blocking(() -> started(ns, application, input, blocking), started -> answer(ex, started, blocking));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    private ExecutionStarted started(String ns, String application, ObjectNode input, boolean blocking)
            throws ApiError {
        try {
            return platform.startWorkflow(ns, application, input, blocking).orElseThrow(ApiError::notFound);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private void answer(Exchange ex, ExecutionStarted started, boolean blocking) {
        ObjectNode accepted = Exchange.JSON.createObjectNode().put("executionId", started.executionId());
        if (!blocking) {
            ex.json(202, accepted);
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        var deadline = platform.deadlines().arm(BLOCKING_WAIT, () -> {
            if (answered.compareAndSet(false, true)) {
                ex.onContext(() -> ex.json(202, accepted));
            }
        });
        started.ended().thenAccept(document -> {
            if (answered.compareAndSet(false, true)) {
                deadline.cancel();
                boolean succeeded = document.path("status").asText().equals("SUCCEEDED");
                ex.onContext(() -> ex.json(succeeded ? 200 : 502, document));
            }
        });
    }

    void list(Exchange ex, String ns) throws ApiError {
        int limit = ex.query().integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<String> application = ex.query().name("application");
        ex.blocking(() -> application.isPresent() ? platform.executions(ns, application.get(), limit)
                : platform.executions(ns, limit), executions -> {
            ArrayNode list = Exchange.JSON.createArrayNode();
            executions.forEach(list::add);
            ex.json(200, list);
        });
    }

    void get(Exchange ex, String ns, String id) throws ApiError {
        if (!ID.matcher(id).matches()) {
            throw ApiError.badRequest(Messages.BAD_EXECUTION_ID);
        }
        ex.blocking(() -> platform.execution(ns, id).orElseThrow(() -> ApiError.notFound(id)),
                document -> ex.json(200, document));
    }
}
