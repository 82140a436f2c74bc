package dev.cove.server;

import dev.cove.core.model.FunctionSpec;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * The REST API's query parameters, each read strictly and only here: absent is the default, and
 * anything given must parse, or the request is a 400 that names the parameter and what it was given.
 * {@code blocking=maybe} is refused, not taken as {@code false}. Parameters the API does not know are
 * let be, as OpenWhisk's clients send some Cove has no use for. (A web route's query is the function's
 * own, not read here.)
 */
final class Query {
    private final HttpServerRequest request;

    Query(HttpServerRequest request) {
        this.request = request;
    }

    /** Refuses a request whose query has an escape that does not decode. */
    static void requireDecodable(HttpServerRequest request) throws ApiError {
        if (request.query() != null) {
            try {
                request.params();
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(Messages.BAD_QUERY);
            }
        }
    }

    /** {@code true} or {@code false}, in any case. */
    boolean flag(String name, boolean fallback) throws ApiError {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value.get());
        }
        throw refused(name, Messages.EXPECTED_FLAG, value.get());
    }

    /** A whole number from {@code min} to {@code max}. */
    int integer(String name, int fallback, int min, int max) throws ApiError {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return fallback;
        }
        String range = Messages.expectedWholeNumber(min, max);
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw refused(name, range, value.get());
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw refused(name, range, value.get());
        }
    }

    /** A time as milliseconds since the epoch, 0 or more. */
    Optional<Long> epochMillis(String name) throws ApiError {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed >= 0) {
                return Optional.of(parsed);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused(name, Messages.EXPECTED_EPOCH_MILLIS, value.get());
    }

    /** A function's or an application's name. */
    Optional<String> name(String name) throws ApiError {
        Optional<String> value = value(name);
        if (value.isPresent()) {
            try {
                FunctionSpec.requireName(value.get());
            } catch (IllegalArgumentException e) {
                throw refused(name, Messages.EXPECTED_NAME, value.get());
            }
        }
        return value;
    }

    /** One of the given words. */
    String oneOf(String name, String fallback, List<String> words) throws ApiError {
        Optional<String> value = value(name);
        if (value.isPresent() && !words.contains(value.get())) {
            throw refused(name, Messages.expectedOneOf(words), value.get());
        }
        return value.orElse(fallback);
    }

    /** The parameter's one value, if it is given; given twice, it is refused, as no one can say which counts. */
    private Optional<String> value(String name) throws ApiError {
        List<String> values = request.params().getAll(name);
        if (values.size() > 1) {
            throw ApiError.badRequest(Messages.repeatedParameter(name, values.size()));
        }
        return values.stream().findFirst();
    }

    private static ApiError refused(String name, String expected, String value) {
        return ApiError.badRequest(Messages.badParameter(name, expected, value));
    }
}
