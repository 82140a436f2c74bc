package dev.cove.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request and its answer: reading the body within a limit, answering JSON or an error in
 * OpenWhisk's shape, and running blocking work off the event loop. Every answer is written on the
 * request's own event loop, whichever thread produced it.
 */
final class Exchange {
    /** How long a refused caller should wait before it asks again, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACTIVATION_ID_HEADER = "X-OpenWhisk-Activation-Id";
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    final HttpServerRequest request;
    private final Context context;

    Exchange(HttpServerRequest request) {
        this.request = request;
        this.context = Vertx.currentContext();
    }

    /** Reads the whole body, answering 413 (and reading no further) past {@code limit} bytes. */
    void body(long limit, Consumer<Buffer> then) {
        String length = request.getHeader("content-length");
        long declared = length == null ? -1 : parseLong(length);
        if (declared > limit) {
            tooLarge(limit);
            return;
        }
        if (declared >= 0) {
            // the length is known and allowed: Vert.x's own aggregation, which the server can't exceed
            request.body().onSuccess(then::accept).onFailure(e -> LOG.debug("request body failed", e));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                then.accept(body);
            }
        });
        request.exceptionHandler(e -> LOG.debug("request body failed", e));
    }

    private void tooLarge(long limit) {
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().putHeader("connection", "close"); // the rest of the body is not read
        }
        error(new ApiError(413, Messages.tooLarge(limit)));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body as a JSON object; empty means {@code {}}. */
    static ObjectNode jsonObject(Buffer body) throws ApiError {
        JsonNode node = JsonBodies.read(body.getBytes()).orElse(null);
        if (node == null) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw ApiError.badRequest(Messages.MALFORMED + Messages.NOT_AN_OBJECT);
        }
        return (ObjectNode) node;
    }

    /** The request's query parameters, read strictly. */
    Query query() {
        return new Query(request);
    }

    void json(int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            internal(e);
            return;
        }
        send(status, "application/json", Buffer.buffer(bytes));
    }

    /**
     * Ends the response. A refusal for now (429: a full queue; 503: something the node relies on away,
     * or no room to run the function) says with {@code Retry-After} when to ask again, unless a web
     * function's own headers already do.
     */
    void send(int status, String contentType, Buffer body) {
        onContext(() -> {
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(status);
            if ((status == 429 || status == 503) && !response.headers().contains("Retry-After")) {
                response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
            }
            if (contentType != null) {
                response.putHeader("content-type", contentType);
            }
            response.end(body);
        });
    }

    void header(String name, String value) {
        request.response().putHeader(name, value);
    }

    /** An error in OpenWhisk's shape, {@code {"error": …, "code": …}}. */
    void error(ApiError e) {
        json(e.status(), JSON.createObjectNode().put("error", e.getMessage()).put("code", requestCode()));
    }

    /** A platform failure: logged with a code; the caller sees the code, never the exception. */
    void internal(Throwable t) {
        String code = requestCode();
        LOG.error("request {} {} failed [{}]", request.method(), request.path(), code, t);
        ObjectNode body = JSON.createObjectNode().put("error", Messages.INTERNAL)
                .put("code", code);
        send(500, "application/json", Buffer.buffer(body.toString()));
    }

    /** Runs blocking work on a virtual thread, then answers from the event loop. */
    <T> void blocking(Callable<T> work, Consumer<T> then) {
        Thread.ofVirtual().start(() -> {
            try {
                T value = work.call();
                onContext(() -> then.accept(value));
            } catch (ApiError e) {
                error(e);
            } catch (Exception | Error e) {
                internal(e);
            }
        });
    }

    void onContext(Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private static String requestCode() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
