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
    /** One JSON value and nothing after it: {@code {"a":1} x} is no body. */
    private static final ObjectReader READER = Exchange.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {}

    /** The body's JSON value; empty when the body is. */
    static Optional<JsonNode> read(byte[] body) throws ApiError {
        try {
            return Optional.ofNullable(READER.readTree(body)).filter(node -> !node.isMissingNode());
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(Messages.MALFORMED + problem(e, body) + where(e.getLocation()) + ".");
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory can't fail", e);
        }
    }

    private static String problem(JsonProcessingException e, byte[] body) {
        if (e instanceof JsonEOFException) {
            return Messages.JSON_CUT_SHORT;
        }
        if (!(e instanceof JsonParseException)) {
            return Messages.JSON_TRAILING;
        }
        if (String.valueOf(e.getOriginalMessage()).startsWith("Invalid UTF-8")) {
            return Messages.JSON_NOT_UTF8;
        }
        long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        return offset < 0 || offset >= body.length ? Messages.NOT_JSON
                : Messages.unexpected(character(body[(int) offset]));
    }

    private static String character(byte b) {
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        if (b >= 0 && b < 0x20 || b == 0x7f) {
            return Messages.controlCharacter(b);
        }
        return "character";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : Messages.at(location.getLineNr(), location.getColumnNr());
    }
}
