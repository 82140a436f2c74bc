package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.MissingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell in a failed activation's sandbox ({@code GET …/activations/ID/debug}) or a live instance's
 * ({@code GET …/actions/NAME/debug}) over a WebSocket, see docs/debugging.md: binary frames carry the
 * terminal's bytes both ways; text frames carry JSON, {@code {"resize": {"rows", "columns"}}} from the
 * client, {@code {"exit": N}} or {@code {"error": …}} from the server, which then closes. Every session
 * is logged and recorded in the node's store ({@code GET …/debug/sessions}): which key, when, on what,
 * how long, how its shell ended. A shell whose opening can't be recorded is not opened.
 */
final class DebugShells {
    private static final Logger LOG = LoggerFactory.getLogger(DebugShells.class);
    private static final int DEFAULT_ROWS = 24;
    private static final int DEFAULT_COLUMNS = 80;
    /** The most sessions one listing answers, and how many it answers unless asked for fewer. */
    private static final int MAX_SESSIONS = 1000;

    private final Node platform;

    DebugShells(Node platform) {
        this.platform = platform;
    }

    void attach(RoutingContext route, String namespace, DebugTarget target) throws ApiError {
        if (target instanceof DebugTarget.FailedActivation failed) {
            Activations.requireId(failed.activationId());
        }
        Exchange ex = new Exchange(route.request());
        ApiError.refusing(() -> {
            platform.requireDebuggable(namespace, target);
            return target;
        });
        int rows = size(ex, "rows", DEFAULT_ROWS);
        int columns = size(ex, "columns", DEFAULT_COLUMNS);
        DebugSession session = DebugSession.open(namespace, keyOf(route), describe(target), Instant.now());
        route.request().toWebSocket().onSuccess(ws -> open(ws, session, target, rows, columns))
                .onFailure(e -> {
                    LOG.debug("a debug shell's WebSocket did not open", e);
                    if (!route.response().ended()) { // not an upgrade: a plain request gets an answer
                        ex.error(new ApiError(400, Messages.DEBUG_NEEDS_WEBSOCKET));
                    }
                });
    }

    /** The namespace's sessions, the most recent first: {@code ?limit=N} of them, 1000 at most. */
    void sessions(Exchange ex, String namespace) throws ApiError {
        int limit = ex.query().integer("limit", MAX_SESSIONS, 1, MAX_SESSIONS);
        ex.blocking(() -> platform.debugSessions(namespace, limit), sessions -> ex.json(200, json(sessions)));
    }

    private static ArrayNode json(List<DebugSession> sessions) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        for (DebugSession s : sessions) {
            ObjectNode json = list.addObject().put("key", s.key()).put("target", s.target())
                    .put("opened", s.opened().toEpochMilli());
            s.closed().ifPresent(at -> json.put("closed", at.toEpochMilli()));
            s.duration().ifPresent(d -> json.put("durationMs", d.toMillis()));
            s.exit().ifPresent(code -> json.put("exit", code));
        }
        return list;
    }

    /**
     * A session's end as it is heard: the WebSocket's close and the shell's exit, in either order. Each
     * is recorded as it comes once the session is closed, under this lock, so that the node's writer
     * gets them in the order they were known and the fuller record is the later one.
     */
    private final class Ending {
        private DebugSession session;

        Ending(DebugSession opened) {
            this.session = opened;
        }

        synchronized DebugSession closed(Instant at) {
            session = session.closedAt(at);
            platform.debugSessionEnded(session);
            return session;
        }

        synchronized void exited(int status) {
            session = session.exitedWith(status);
            if (session.closed().isPresent()) { // the shell was killed by the close: its status comes after
                platform.debugSessionEnded(session);
            }
        }
    }

    private static String describe(DebugTarget target) {
        return switch (target) {
            case DebugTarget.FailedActivation failed -> "activation " + failed.activationId();
            case DebugTarget.LiveInstance live -> "function " + live.function();
        };
    }

    /** The key's uuid, the part before the colon of the Basic credentials the request was let in with. */
    private static String keyOf(RoutingContext route) {
        String header = route.request().getHeader("Authorization");
        try {
            String credentials = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).trim()),
                    StandardCharsets.UTF_8);
            return credentials.substring(0, Math.max(0, credentials.indexOf(':')));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static int size(Exchange ex, String name, int otherwise) throws ApiError {
        return ex.query().integer(name, otherwise, 1, 1000);
    }

    private void open(ServerWebSocket ws, DebugSession session, DebugTarget target, int rows, int columns) {
        ws.pause();
        Thread.ofVirtual().name("cove-debug").start(() -> { // a shell's start blocks for a fork, its record on the store
            Node.Shell shell;
            try {
                shell = platform.debug(session.namespace(), target, rows, columns,
                        bytes -> ws.writeBinaryMessage(Buffer.buffer(bytes)));
            } catch (IOException | MissingException | ForbiddenException e) {
                refuse(ws, e.getMessage());
                return;
            }
            try {
                platform.debugSessionOpened(session);
            } catch (RuntimeException e) {
                LOG.error("a debug shell in namespace {} on {} was closed: its session could not be recorded",
                        session.namespace(), session.target(), e);
                shell.close();
                refuse(ws, Messages.DEBUG_SESSION_NOT_RECORDED);
                return;
            }
            LOG.info("debug shell opened in namespace {} with key {} on {}", session.namespace(), session.key(),
                    session.target());
            Ending ending = new Ending(session);
            ws.closeHandler(closed -> {
                shell.close();
                DebugSession ended = ending.closed(Instant.now());
                LOG.info("debug shell closed in namespace {} on {} after {} ms", ended.namespace(), ended.target(),
                        ended.duration().orElseThrow().toMillis());
            });
            ws.binaryMessageHandler(keys -> type(ws, shell, keys.getBytes()));
            ws.textMessageHandler(text -> control(shell, text));
            shell.exit().thenAccept(code -> {
                ending.exited(code);
                ws.writeTextMessage(Exchange.JSON.createObjectNode().put("exit", code).toString())
                        .onComplete(done -> ws.close());
            });
            ws.resume();
        });
    }

    private static void refuse(ServerWebSocket ws, String message) {
        ws.writeTextMessage(Exchange.JSON.createObjectNode().put("error", message).toString())
                .onComplete(done -> ws.close());
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
