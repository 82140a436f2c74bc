package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cove.core.Node;
import dev.cove.core.model.Messages;
import dev.cove.core.model.MissingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell in a failed activation's sandbox over a WebSocket ({@code GET …/activations/ID/debug}, see
 * docs/debugging.md): binary frames carry the terminal's bytes both ways; text frames carry JSON,
 * {@code {"resize": {"rows", "columns"}}} from the client, {@code {"exit": N}} or {@code {"error": …}}
 * from the server, which then closes.
 */
final class DebugShells {
    private static final Logger LOG = LoggerFactory.getLogger(DebugShells.class);
    private static final int DEFAULT_ROWS = 24;
    private static final int DEFAULT_COLUMNS = 80;

    private final Node platform;

    DebugShells(Node platform) {
        this.platform = platform;
    }

    void attach(RoutingContext route, String namespace, String activationId) throws ApiError {
        Activations.requireId(activationId);
        Exchange ex = new Exchange(route.request());
        if (!platform.debuggable(namespace, activationId)) {
            throw new ApiError(404, Messages.notKeptForDebugging(activationId));
        }
        int rows = size(ex, "rows", DEFAULT_ROWS);
        int columns = size(ex, "columns", DEFAULT_COLUMNS);
        route.request().toWebSocket().onSuccess(ws -> open(ws, namespace, activationId, rows, columns))
                .onFailure(e -> LOG.debug("a debug shell's WebSocket did not open", e));
    }

    private static int size(Exchange ex, String name, int otherwise) throws ApiError {
        return ex.query().integer(name, otherwise, 1, 1000);
    }

    private void open(ServerWebSocket ws, String namespace, String activationId, int rows, int columns) {
        ws.pause();
        Thread.ofVirtual().name("cove-debug-" + activationId).start(() -> { // a shell's start blocks for a fork
            Node.Shell shell;
            try {
                shell = platform.debug(namespace, activationId, rows, columns, bytes -> ws.writeBinaryMessage(Buffer.buffer(bytes)));
            } catch (IOException | MissingException e) {
                ws.writeTextMessage(Exchange.JSON.createObjectNode().put("error", e.getMessage()).toString())
                        .onComplete(done -> ws.close());
                return;
            }
            ws.closeHandler(closed -> shell.close());
            ws.binaryMessageHandler(keys -> type(ws, shell, keys.getBytes()));
            ws.textMessageHandler(text -> control(shell, text));
            shell.exit().thenAccept(code -> ws.writeTextMessage(Exchange.JSON.createObjectNode().put("exit", code).toString())
                    .onComplete(done -> ws.close()));
            ws.resume();
        });
    }

    private static void type(ServerWebSocket ws, Node.Shell shell, byte[] keys) {
        try {
            shell.type(keys);
        } catch (IOException e) {
            ws.close();
        }
    }

    /** A control frame; one not understood is ignored, as a terminal ignores a sequence it does not know. */
    private static void control(Node.Shell shell, String text) {
        try {
            JsonNode resize = JsonBodies.read(text.getBytes(StandardCharsets.UTF_8)).orElse(MissingNode.getInstance())
                    .path("resize");
            int rows = resize.path("rows").asInt(0);
            int columns = resize.path("columns").asInt(0);
            if (rows >= 1 && rows <= 1000 && columns >= 1 && columns <= 1000) {
                shell.resize(rows, columns);
            }
        } catch (ApiError | IOException e) {
            LOG.debug("a debug shell's control frame was not understood: {}", text, e);
        }
    }
}
