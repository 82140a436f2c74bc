package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plain HTTP to a function and back, the way OpenWhisk's web actions do it: the request becomes
 * parameters ({@code __ow_method}, {@code __ow_path}, {@code __ow_headers}, {@code __ow_query},
 * {@code __ow_body}), and a {@code {statusCode, headers, body}} result becomes the response.
 */
final class WebRequests {
    private static final Set<String> RESERVED = Set.of("__ow_method", "__ow_headers", "__ow_path", "__ow_user",
            "__ow_query", "__ow_body");

    /** As many as Vert.x decodes of a query. */
    private static final int MAX_QUERY_PARAMETERS = 1024;

    private WebRequests() {}

    static ObjectNode params(HttpServerRequest request, Buffer body, String path) throws ApiError {
        String declared = request.getHeader("content-type");
        String contentType = declared == null ? "" : declared.toLowerCase(Locale.ROOT);
        ObjectNode params = body.length() > 0 ? fromBody(body, contentType) : Exchange.JSON.createObjectNode();
        String query = request.query();
        if (query != null) {
            for (Map.Entry<String, List<String>> e : queryParameters(request).entrySet()) {
                refuseReserved(e.getKey());
                if (!params.has(e.getKey())) { // the body's values win, and a repeated name's first value
                    params.put(e.getKey(), e.getValue().get(0));
                }
            }
        }
        params.put("__ow_method", request.method().name().toLowerCase(Locale.ROOT));
        params.put("__ow_path", path);
        params.put("__ow_query", query == null ? "" : query);
        ObjectNode headers = params.putObject("__ow_headers");
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return params;
    }

    /**
     * The query's parameters, decoded as Vert.x decodes {@code request.params()}, which can't be used here:
     * the router adds the path's parameters to it.
     */
    private static Map<String, List<String>> queryParameters(HttpServerRequest request) {
        return new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, MAX_QUERY_PARAMETERS, false)
                .parameters();
    }

    /**
     * The parameters a body gives: a JSON object's own fields (the object itself, not a copy), a
     * form's fields, and otherwise the body as {@code __ow_body}.
     */
    private static ObjectNode fromBody(Buffer body, String contentType) throws ApiError {
        if (contentType.contains("json")) {
            Optional<JsonNode> json = JsonBodies.read(body.getBytes());
            if (json.isPresent() && json.get().isObject()) {
                for (Map.Entry<String, JsonNode> field : json.get().properties()) {
                    refuseReserved(field.getKey());
                }
                return (ObjectNode) json.get();
            }
        }
        ObjectNode params = Exchange.JSON.createObjectNode();
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            String form = body.toString(StandardCharsets.UTF_8);
            for (Map.Entry<String, List<String>> e : new QueryStringDecoder(form, false).parameters().entrySet()) {
                params.put(e.getKey(), e.getValue().get(0));
            }
        }
        params.put("__ow_body", textual(contentType) ? body.toString(StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(body.getBytes()));
        return params;
    }

    /** A request may not set the parameters that describe it, as in OpenWhisk. */
    private static void refuseReserved(String name) throws ApiError {
        if (RESERVED.contains(name)) {
            throw ApiError.badRequest(Messages.RESERVED_PARAMETERS);
        }
    }

    static boolean textual(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("x-www-form-urlencoded");
    }

    static void respond(Exchange ex, Activation activation) {
        JsonNode result = activation.result().tree();
        if (activation.status() != ActivationStatus.SUCCESS) {
            JsonNode error = result.path("error");
            ex.json(Invocations.httpStatus(activation.status()), Exchange.JSON.createObjectNode()
                    .put("error", error.isTextual() ? error.asText() : error.toString())
                    .put("activationId", activation.activationId()));
            return;
        }
        if (!(result.has("statusCode") || result.has("headers") || result.has("body"))) {
            ex.send(200, "application/json", Buffer.buffer(activation.result().bytes()));
            return;
        }
        int status = result.path("statusCode").asInt(200);
        if (status < 100 || status > 599) {
            ex.json(502, Exchange.JSON.createObjectNode()
                    .put("error", Messages.invalidStatusCode(result.path("statusCode").toString()))
                    .put("activationId", activation.activationId()));
            return;
        }
        HttpServerResponse response = ex.request.response();
        String contentType = applyHeaders(response, result.path("headers"));
        JsonNode body = result.path("body");
        if (body.isContainerNode()) {
            ex.send(status, contentType == null ? "application/json" : null, Buffer.buffer(body.toString()));
        } else if (body.isMissingNode() || body.isNull()) {
            ex.send(status, null, Buffer.buffer());
        } else {
            ex.send(status, contentType == null ? "text/html; charset=utf-8" : null, bodyBytes(body, contentType));
        }
    }

    /**
     * OpenWhisk's answer for a web action addressed with {@code extension}: a success's result, or an
     * application error's {@code error}, made into the extension's media; any other end is a 400.
     * A body the request's {@code Accept} does not take is a 406.
     */
    static void respond(Exchange ex, Activation activation, WebMedia.Extension extension) {
        try {
            WebMedia.Answer answer = WebMedia.answer(extension, projection(activation));
            Optional<String> type = answer.contentType();
            if (type.isPresent() && !WebMedia.acceptable(ex.request.headers(), type.get())) {
                throw WebMedia.notAcceptable(type.get());
            }
            HttpServerResponse response = ex.request.response();
            answer.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
            ex.send(answer.status(), type.orElse(null), Buffer.buffer(answer.body()));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    private static JsonNode projection(Activation activation) throws ApiError {
        JsonNode result = activation.result().tree();
        return switch (activation.status()) {
            case SUCCESS -> result;
            case APPLICATION_ERROR -> Optional.ofNullable(result.get("error"))
                    .orElseThrow(() -> new ApiError(404, Messages.PROPERTY_NOT_FOUND));
            case DEVELOPER_ERROR, TIMEOUT, PLATFORM_ERROR -> throw ApiError.badRequest(Messages.WEB_FAILED);
            case UNAVAILABLE -> throw new ApiError(503, result.path("error").asText());
        };
    }

    /** Copies the result's headers; answers the content type it set, or null. */
    private static String applyHeaders(HttpServerResponse response, JsonNode headers) {
        String contentType = null;
        for (Map.Entry<String, JsonNode> h : headers.properties()) {
            if (h.getValue().isArray()) {
                h.getValue().forEach(v -> response.headers().add(h.getKey(), v.asText()));
            } else {
                response.putHeader(h.getKey(), h.getValue().asText());
            }
            if (h.getKey().equalsIgnoreCase("content-type")) {
                contentType = h.getValue().asText();
            }
        }
        return contentType;
    }

    /** A string body as it is, or decoded from base64 when its content type is binary. */
    private static Buffer bodyBytes(JsonNode body, String contentType) {
        String text = body.asText();
        if (contentType != null && !textual(contentType)) {
            try {
                return Buffer.buffer(Base64.getMimeDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                // not base64 after all: send it as it is
            }
        }
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
