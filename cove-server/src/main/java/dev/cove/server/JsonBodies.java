package dev.cove.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Optional;

/**
 * The one place the server reads JSON that a request sent. A body that is not JSON is a 400 that says
 * what is wrong and where, in words of its own: the parser's message names its classes and features,
 * which are nothing to the caller.
 */
final class JsonBodies {
    static final String MALFORMED = "The request content was malformed:\n";
    /** One JSON value and nothing after it: {@code {"a":1} x} is no body. */
    private static final ObjectReader READER = Exchange.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {}

    /** The body's JSON value; empty when the body is. */
    static Optional<JsonNode> read(byte[] body) throws ApiError {
        try {
            return Optional.ofNullable(READER.readTree(body)).filter(node -> !node.isMissingNode());
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(MALFORMED + problem(e, body) + where(e.getLocation()) + ".");
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory can't fail", e);
        }
    }

    private static String problem(JsonProcessingException e, byte[] body) {
        if (e instanceof JsonEOFException) {
            return "the JSON ends before it is complete (an object, an array or a string is not closed)";
        }
        if (!(e instanceof JsonParseException)) {
            return "more follows the JSON value";
        }
        if (String.valueOf(e.getOriginalMessage()).startsWith("Invalid UTF-8")) {
            return "the body is not UTF-8";
        }
        long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        return offset < 0 || offset >= body.length ? "not JSON" : "unexpected " + character(body[(int) offset]);
    }

    private static String character(byte b) {
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        if (b >= 0 && b < 0x20 || b == 0x7f) {
            return String.format("control character U+%04X (in a string it must be escaped)", b);
        }
        return "character";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
