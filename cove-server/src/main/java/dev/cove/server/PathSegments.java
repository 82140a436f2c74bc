package dev.cove.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A request's path as its segments, each percent-decoded, so {@code a%40b} is the name {@code a@b}.
 * Split first, decoded after: an encoded {@code /} ({@code %2F}) is part of its segment, never a
 * separator. {@code +} is itself here (it means a space only in a query).
 */
final class PathSegments {
    private PathSegments() {}

    /** The segments of a path as the server received it; the first is the empty one before the leading '/'. */
    static String[] of(String rawPath) throws ApiError {
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = decode(segments[i]);
        }
        return segments;
    }

    static String decode(String segment) throws ApiError {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length() * 3);
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else if (i + 2 < segment.length() && isHex(segment.charAt(i + 1)) && isHex(segment.charAt(i + 2))) {
                bytes.put((byte) HexFormat.fromHexDigits(segment, i + 1, i + 3));
                i += 2;
            } else {
                throw malformed(segment, "'%' must be followed by two hex digits");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw malformed(segment, "its bytes are not UTF-8");
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static ApiError malformed(String segment, String why) {
        return ApiError.badRequest("The path segment '" + segment + "' is not percent-encoded correctly: " + why + ".");
    }
}
