package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Who may call a function over its web routes, and the CORS headers OpenWhisk answers them with:
 * pure decisions over a function's annotations and the request's headers.
 *
 * <p>{@code require-whisk-auth: true} asks for a valid key (Basic authentication); a string or number
 * asks for a request header {@code X-Require-Whisk-Auth} equal to it; {@code false} or no annotation
 * asks for nothing; any other value lets no one in. Without {@code web-custom-options: true} the
 * platform answers OPTIONS itself and adds its CORS headers to every answer.
 */
final class WebAccess {
    static final String REQUIRE_AUTH = "require-whisk-auth";
    static final String CUSTOM_OPTIONS = "web-custom-options";
    static final String AUTH_HEADER = "x-require-whisk-auth";
    static final String REQUEST_HEADERS = "access-control-request-headers";
    static final String ALLOW_METHODS = "OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH";
    static final String ALLOW_HEADERS = "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent";

    /** What a function's {@code require-whisk-auth} asks of a request. */
    sealed interface Requirement {}

    record Open() implements Requirement {}

    record Key() implements Requirement {}

    record Secret(String value) implements Requirement {}

    record Closed() implements Requirement {}

    private WebAccess() {}

    static Requirement requirement(ArrayNode annotations) {
        JsonNode value = annotation(annotations, REQUIRE_AUTH).orElse(null);
        if (value == null || value.isBoolean() && !value.booleanValue()) {
            return new Open();
        }
        if (value.isBoolean()) {
            return new Key();
        }
        if (value.isTextual() || value.isNumber()) {
            return new Secret(value.asText());
        }
        return new Closed();
    }

    /**
     * Whether a request with these headers may call the function (a secret is in {@code X-Require-Whisk-Auth});
     * {@code authenticated} is whether it carries a valid key, asked only when the function needs one.
     */
    static boolean admits(Requirement requirement, MultiMap headers, BooleanSupplier authenticated) {
        return switch (requirement) {
            case Open o -> true;
            case Key k -> authenticated.getAsBoolean();
            case Secret s -> headers.contains(AUTH_HEADER) && sameSecret(headers.get(AUTH_HEADER), s.value());
            case Closed c -> false;
        };
    }

    /** Compares in a time that doesn't depend on where the two first differ, as a secret must be. */
    private static boolean sameSecret(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the function answers OPTIONS and its CORS headers itself ({@code web-custom-options: true}). */
    static boolean customOptions(ArrayNode annotations) {
        return annotation(annotations, CUSTOM_OPTIONS).map(v -> v.isBoolean() && v.booleanValue()).orElse(false);
    }

    /** The CORS headers the platform adds, echoing the request's {@code Access-Control-Request-Headers}. */
    static List<Map.Entry<String, String>> corsHeaders(MultiMap requestHeaders) {
        String allowed = requestHeaders.contains(REQUEST_HEADERS) ? requestHeaders.get(REQUEST_HEADERS) : ALLOW_HEADERS;
        return List.of(Map.entry("Access-Control-Allow-Origin", "*"),
                Map.entry("Access-Control-Allow-Methods", ALLOW_METHODS),
                Map.entry("Access-Control-Allow-Headers", allowed));
    }

    private static Optional<JsonNode> annotation(ArrayNode annotations, String key) {
        for (JsonNode annotation : annotations) {
            if (annotation.path("key").asText().equals(key)) {
                return Optional.of(annotation.path("value"));
            }
        }
        return Optional.empty();
    }
}
