package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.MissingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell in a failed activation's sandbox ({@code GET …/activations/ID/debug}) or a live instance's
 * ({@code GET …/actions/NAME/debug}) over a WebSocket, see docs/debugging.md: binary frames carry the
 * terminal's bytes both ways; text frames carry JSON, {@code {"resize": {"rows", "columns"}}} from the
 * client, {@code {"exit": N}} or {@code {"error": …}} from the server, which then closes. Every session
 * is logged and remembered ({@code GET …/debug/sessions}): which key, when, on what, how long.
 */
final class DebugShells {
    private static final Logger LOG = LoggerFactory.getLogger(DebugShells.class);
    private static final int DEFAULT_ROWS = 24;
    private static final int DEFAULT_COLUMNS = 80;
    /** The sessions the server remembers, the oldest forgotten first. */
    private static final int MAX_SESSIONS = 1000;

    private final Node platform;
    private final ArrayDeque<Session> sessions = new ArrayDeque<>();

    DebugShells(Node platform) {
        this.platform = platform;
    }

    /** One session: who opened it, when, on what, for how long, and how its shell ended. */
    record Session(String namespace, String key, String target, Instant opened, AtomicReference<Instant> closed,
            AtomicReference<Integer> exit) {
        ObjectNode json() {
            ObjectNode json = Exchange.JSON.createObjectNode().put("key", key).put("target", target)
                    .put("opened", opened.toEpochMilli());
            Instant end = closed.get();
            if (end != null) {
                json.put("closed", end.toEpochMilli()).put("durationMs", Duration.between(opened, end).toMillis());
            }
            Integer code = exit.get();
            if (code != null) {
                json.put("exit", code);
            }
            return json;
        }
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
        Session session = new Session(namespace, keyOf(route), describe(target), Instant.now(), new AtomicReference<>(),
                new AtomicReference<>());
        route.request().toWebSocket().onSuccess(ws -> open(ws, session, target, rows, columns))
                .onFailure(e -> {
                    LOG.debug("a debug shell's WebSocket did not open", e);
                    if (!route.response().ended()) { // not an upgrade: a plain request gets an answer
                        ex.error(new ApiError(400, Messages.DEBUG_NEEDS_WEBSOCKET));
                    }
                });
    }

    /** The namespace's sessions, the most recent first. */
    ArrayNode sessions(String namespace) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        synchronized (sessions) {
            sessions.descendingIterator().forEachRemaining(s -> {
                if (s.namespace().equals(namespace)) {
                    list.add(s.json());
                }
            });
        }
        return list;
    }

    private void record(Session session) {
        synchronized (sessions) {
            sessions.addLast(session);
            while (sessions.size() > MAX_SESSIONS) {
                sessions.removeFirst();
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

    private void open(ServerWebSocket ws, Session session, DebugTarget target, int rows, int columns) {
        ws.pause();
        Thread.ofVirtual().name("cove-debug").start(() -> { // a shell's start blocks for a fork
            Node.Shell shell;
            try {
                shell = platform.debug(session.namespace(), target, rows, columns,
                        bytes -> ws.writeBinaryMessage(Buffer.buffer(bytes)));
            } catch (IOException | MissingException | ForbiddenException e) {
                ws.writeTextMessage(Exchange.JSON.createObjectNode().put("error", e.getMessage()).toString())
                        .onComplete(done -> ws.close());
                return;
            }
            record(session);
            LOG.info("debug shell opened in namespace {} with key {} on {}", session.namespace(), session.key(),
                    session.target());
            ws.closeHandler(closed -> {
                shell.close();
                session.closed().compareAndSet(null, Instant.now());
                LOG.info("debug shell closed in namespace {} on {} after {} ms", session.namespace(), session.target(),
                        Duration.between(session.opened(), session.closed().get()).toMillis());
            });
            ws.binaryMessageHandler(keys -> type(ws, shell, keys.getBytes()));
            ws.textMessageHandler(text -> control(shell, text));
            shell.exit().thenAccept(code -> {
                session.exit().set(code);
                ws.writeTextMessage(Exchange.JSON.createObjectNode().put("exit", code).toString())
                        .onComplete(done -> ws.close());
            });
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
