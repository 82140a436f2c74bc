package dev.cove.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenWhisk's web action extensions ({@code /api/v1/web/NS/PKG/NAME.EXT}): what each one takes from a
 * function's result, and the HTTP answer it makes of it. Pure functions, so each rule is tested as a
 * table (docs/rest-api.md, "Web invocation", says the rules in words).
 */
final class WebMedia {
    static final String HTML = "text/html; charset=UTF-8";
    static final String TEXT = "text/plain; charset=UTF-8";
    static final String JSON = "application/json";
    static final String SVG = "image/svg+xml";
    private static final String ACCEPT = "accept";

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[\\w.+!#$&^-]+/[\\w.+!#$&^-]+(\\s*;.*)?");
    /** Objects one field a line, arrays on one line: how OpenWhisk's controller prints web JSON. */
    private static final ObjectWriter PRETTY = Exchange.JSON.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));

    private WebMedia() {}

    /** The extensions and what each answers; a name without one of them is {@link #HTTP}. */
    enum Extension {
        HTTP, JSON, HTML, SVG, TEXT;

        final String suffix = "." + name().toLowerCase(Locale.ROOT);
    }

    /** A function's name in a web path and the extension it carried. */
    record Addressed(String name, Extension extension) {}

    /** Splits {@code hello.json} into {@code hello} and JSON; a name with no known extension is HTTP. */
    static Addressed address(String segment) {
        for (Extension extension : Extension.values()) {
            if (segment.endsWith(extension.suffix) && segment.length() > extension.suffix.length()) {
                return new Addressed(segment.substring(0, segment.length() - extension.suffix.length()), extension);
            }
        }
        return new Addressed(segment, Extension.HTTP);
    }

    /**
     * An HTTP answer: its status, headers (the content type never among them), and a body with its
     * content type, or no content type for an empty answer.
     */
    record Answer(int status, List<Map.Entry<String, String>> headers, Optional<String> contentType, byte[] body) {
        static Answer of(String contentType, String body) {
            return new Answer(200, List.of(), Optional.of(contentType), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What {@code extension} makes of a result (of a success, or the {@code error} of an application error). */
    static Answer answer(Extension extension, JsonNode result) throws ApiError {
        return switch (extension) {
            case HTTP -> http(result);
            case JSON -> json(result);
            case HTML -> Answer.of(HTML, textField(result, "html", "text/html"));
            case SVG -> Answer.of(SVG, textField(result, "svg", SVG));
            case TEXT -> Answer.of(TEXT, text(result));
        };
    }

    private static Answer json(JsonNode result) throws ApiError {
        if (!result.isContainerNode()) {
            throw invalid(JSON);
        }
        return Answer.of(JSON, pretty(result));
    }

    /** {@code .html} and {@code .svg}: the result's {@code body}, else its {@code field}, which must be a string. */
    private static String textField(JsonNode result, String field, String media) throws ApiError {
        JsonNode value = result.isObject() ? (result.has("body") ? result.get("body") : result.path(field)) : result;
        if (!value.isTextual()) {
            throw invalid(media);
        }
        return value.asText();
    }

    /** {@code .text}: the result's {@code body}, else its {@code text}, any JSON value, printed. */
    private static String text(JsonNode result) throws ApiError {
        JsonNode value = result.isObject() ? (result.has("body") ? result.get("body") : result.get("text")) : result;
        if (value == null) {
            throw new ApiError(404, Messages.PROPERTY_NOT_FOUND);
        }
        return value.isContainerNode() ? pretty(value) : value.isTextual() ? value.asText() : value.toString();
    }

    /** {@code .http}: the result is {@code {statusCode, headers, body}}, each part optional. */
    private static Answer http(JsonNode result) throws ApiError {
        if (!result.isObject()) {
            throw invalid("message/http");
        }
        List<Map.Entry<String, String>> headers = headers(result.path("headers"));
        Optional<Integer> status = statusCode(result.path("statusCode"));
        Optional<String> declared = headers.stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst();
        headers.removeIf(h -> h.getKey().equalsIgnoreCase("content-type"));
        JsonNode body = result.path("body");
        if (body.isMissingNode() || body.isNull() || body.isTextual() && body.asText().isEmpty()) {
            return new Answer(status.orElse(204), headers, Optional.empty(), new byte[0]);
        }
        if (body.isTextual()) {
            return textBody(status.orElse(200), headers, declared.orElse("text/html"), body.asText());
        }
        String type = declared.orElse(JSON);
        if (!jsonFamily(type)) {
            throw ApiError.badRequest(Messages.CONTENT_TYPE_MISMATCH);
        }
        return new Answer(status.orElse(200), headers, Optional.of(mediaType(type)),
                pretty(body).getBytes(StandardCharsets.UTF_8));
    }

    /** A string body: text as it is (in UTF-8), binary decoded from base64. */
    private static Answer textBody(int status, List<Map.Entry<String, String>> headers, String declared, String body)
            throws ApiError {
        if (!MEDIA_TYPE.matcher(declared.trim()).matches()) {
            throw ApiError.badRequest(Messages.UNKNOWN_CONTENT_TYPE);
        }
        String type = declared.trim();
        boolean textual = WebRequests.textual(type);
        if (!textual || jsonFamily(type) && looksBase64(body)) { // base64 JSON: what older web actions sent
            try {
                return new Answer(status, headers, Optional.of(textual ? withCharset(type) : type),
                        Base64.getDecoder().decode(body.trim()));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(Messages.CONTENT_TYPE_MISMATCH);
            }
        }
        return new Answer(status, headers, Optional.of(withCharset(type)), body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> headers(JsonNode headers) throws ApiError {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        if (headers.isMissingNode()) {
            return list;
        }
        if (!headers.isObject()) {
            throw invalid("message/http");
        }
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            for (JsonNode value : header.getValue().isArray() ? header.getValue() : List.of(header.getValue())) {
                if (!value.isValueNode() || value.isNull()) {
                    throw invalid("message/http");
                }
                list.add(Map.entry(header.getKey(), value.asText()));
            }
        }
        return list;
    }

    /** A whole number or a string of one, from 100 to 599; absent, the default of the body's kind. */
    private static Optional<Integer> statusCode(JsonNode code) throws ApiError {
        if (code.isMissingNode()) {
            return Optional.empty();
        }
        int value;
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            value = code.intValue();
        } else if (code.isTextual()) {
            try {
                value = Integer.parseInt(code.asText());
            } catch (NumberFormatException e) {
                throw invalid("message/http");
            }
        } else {
            throw invalid("message/http");
        }
        if (value < 100 || value > 599) {
            throw invalid("message/http");
        }
        return Optional.of(value);
    }

    /**
     * Whether a request with these headers takes {@code contentType}: no {@code Accept} header, or one with
     * a range that covers it ({@code *}{@code /*}, {@code text/*}, {@code text/html}) with a quality above zero.
     */
    static boolean acceptable(MultiMap headers, String contentType) {
        String accept = headers.get(ACCEPT);
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String offered = mediaType(contentType);
        String type = offered.substring(0, offered.indexOf('/'));
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String wanted = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean covers = wanted.equals("*/*") || wanted.equals(offered) || wanted.equals(type + "/*");
            if (covers && quality(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.startsWith("q=")) {
                try {
                    return Double.parseDouble(param.substring(2));
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    static ApiError notAcceptable(String contentType) {
        return new ApiError(406, Messages.NOT_ACCEPTABLE + contentType);
    }

    /** {@code application/json} and every {@code …+json}. */
    private static boolean jsonFamily(String contentType) {
        String type = mediaType(contentType);
        return type.equals(JSON) || type.endsWith("+json");
    }

    /** The type without its parameters, in lower case. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Text gets a charset, UTF-8 unless one was given; JSON's is always UTF-8 and never named. */
    private static String withCharset(String type) {
        if (jsonFamily(type)) {
            return mediaType(type);
        }
        return type.toLowerCase(Locale.ROOT).contains("charset=") ? type : type + "; charset=UTF-8";
    }

    private static boolean looksBase64(String body) {
        String trimmed = body.trim();
        return !trimmed.isEmpty() && trimmed.length() % 4 == 0 && BASE64.matcher(trimmed).matches();
    }

    private static ApiError invalid(String media) {
        return ApiError.badRequest(String.format(Messages.INVALID_MEDIA, media));
    }

    static String pretty(JsonNode value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always prints", e);
        }
    }
}
