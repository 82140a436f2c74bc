package dev.cove.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A request's path checked before the router percent-decodes its segments, so that a segment that does
 * not decode is a 400 that says why (the router would take {@code %%} for {@code %}, and bytes that are
 * not UTF-8 for U+FFFD). Split first, checked after: an encoded {@code /} ({@code %2F}) is part of its
 * segment, never a separator; {@code +} is itself here (it means a space only in a query).
 */
final class PathSegments {
    private PathSegments() {}

    /** Refuses a path as the server received it if one of its segments does not decode. */
    static void requireDecodable(String rawPath) throws ApiError {
        for (String segment : rawPath.split("/", -1)) {
            if (segment.indexOf('%') >= 0) {
                requireDecodableSegment(segment);
            }
        }
    }

    private static void requireDecodableSegment(String segment) throws ApiError {
        ByteBuffer bytes = ByteBuffer.allocate(segment.length() * 3);
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else if (i + 2 < segment.length() && isHex(segment.charAt(i + 1)) && isHex(segment.charAt(i + 2))) {
                bytes.put((byte) HexFormat.fromHexDigits(segment, i + 1, i + 3));
                i += 2;
            } else {
                throw malformed(segment, Messages.PERCENT_WITHOUT_HEX);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip());
        } catch (CharacterCodingException e) {
            throw malformed(segment, Messages.SEGMENT_NOT_UTF8);
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static ApiError malformed(String segment, String why) {
        return ApiError.badRequest(Messages.badPathSegment(segment, why));
    }
}
