package dev.cove.worker;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON (RFC 8259, UTF-8) decoded straight from bytes to the values a Java function sees, as Jackson's
 * defaults decode them, so that both Java tiers hand a function the same values: objects as
 * {@code LinkedHashMap} (a repeated key keeps its first place and its last value), arrays as
 * {@code ArrayList}, whole numbers as {@code Integer} when they fit, else {@code Long} when they fit,
 * else {@code BigInteger}, numbers with a fraction or an exponent as {@code Double} (so a number's
 * digits beyond a double's precision are lost, as they are in the platform; one past a double's range
 * is infinite), {@code true}/{@code false} as {@code Boolean}.
 *
 * <p>A reader is not thread-safe; the frame reader keeps one, whose scratch space for strings with
 * escapes or non-ASCII characters grows to the longest such string met. Strings of plain ASCII, most
 * keys and ids, are made from the bytes in one step.
 */
final class JsonReader {
    private static final int MAX_DEPTH = 1000;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[] in;
    private int start;
    private int pos;
    private int end;
    private char[] chars = new char[0];

    /** The one JSON value in {@code len} bytes from {@code off}, whitespace around it allowed. */
    static Object parse(byte[] bytes, int off, int len) {
        return new JsonReader().read(bytes, off, len);
    }

    /** Like {@link #parse}, reusing this reader's scratch space. */
    Object read(byte[] bytes, int off, int len) {
        in = bytes;
        start = off;
        pos = off;
        end = off + len;
        try {
            Object value = value(0);
            skipSpace();
            if (pos < end) {
                throw malformed("more after the end of the value");
            }
            return value;
        } finally {
            in = null;
        }
    }

    private Object value(int depth) {
        skipSpace();
        if (pos >= end) {
            throw malformed("the text ends where a value should be");
        }
        byte b = in[pos];
        switch (b) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                pos++;
                return string();
            case 't':
                return literal(TRUE, Boolean.TRUE);
            case 'f':
                return literal(FALSE, Boolean.FALSE);
            case 'n':
                return literal(NULL, null);
            default:
                if (b == '-' || b >= '0' && b <= '9') {
                    return number();
                }
                throw malformed("a value can't start with " + describe(b));
        }
    }

    private Map<String, Object> object(int depth) {
        nest(depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (pos < end && in[pos] == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            expect('"', "a key, in double quotes");
            String key = string();
            skipSpace();
            expect(':', "':' after a key");
            map.put(key, value(depth));
            skipSpace();
            if (pos >= end) {
                throw malformed("the text ends inside an object");
            }
            byte b = in[pos++];
            if (b == '}') {
                return map;
            }
            if (b != ',') {
                pos--;
                throw malformed("expected ',' or '}' after a member, found " + describe(b));
            }
        }
    }

    private List<Object> array(int depth) {
        nest(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (pos < end && in[pos] == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth));
            skipSpace();
            if (pos >= end) {
                throw malformed("the text ends inside an array");
            }
            byte b = in[pos++];
            if (b == ']') {
                return list;
            }
            if (b != ',') {
                pos--;
                throw malformed("expected ',' or ']' after an element, found " + describe(b));
            }
        }
    }

    private void nest(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("values nest deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** A string whose opening quote has been read. */
    private String string() {
        int from = pos;
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                return new String(in, from, pos++ - from, StandardCharsets.ISO_8859_1);
            }
            if (b < 0x20 || b == '\\') { // also every byte of a non-ASCII character: they are negative
                break;
            }
            pos++;
        }
        return slowString(from);
    }

    /** A string with escapes or non-ASCII characters: never longer in chars than its bytes. */
    private String slowString(int from) {
        if (chars.length < end - from) {
            chars = new char[end - from];
        }
        int n = 0;
        for (int i = from; i < pos; i++) {
            chars[n++] = (char) in[i];
        }
        while (true) {
            if (pos >= end) {
                throw malformed("the text ends inside a string");
            }
            int b = in[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return new String(chars, 0, n);
            }
            if (b == '\\') {
                chars[n++] = escaped();
            } else if (b < 0x20) {
                throw malformed("a string can't hold the control character " + describe((byte) b) + " unescaped");
            } else if (b < 0x80) {
                chars[n++] = (char) b;
                pos++;
            } else {
                n = decode(n);
            }
        }
    }

    private char escaped() {
        if (pos + 1 >= end) {
            throw malformed("the text ends inside an escape");
        }
        byte b = in[pos + 1];
        pos += 2;
        switch (b) {
            case '"':
                return '"';
            case '\\':
                return '\\';
            case '/':
                return '/';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                return hex4();
            default:
                pos -= 2;
                throw malformed("\\" + (char) (b & 0xFF) + " is not an escape");
        }
    }

    private char hex4() {
        if (pos + 4 > end) {
            throw malformed("the text ends inside a \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(in[pos + i], 16);
            if (digit < 0) {
                throw malformed("a \\u escape needs four hex digits");
            }
            value = value << 4 | digit;
        }
        pos += 4;
        return (char) value;
    }

    /** One multi-byte UTF-8 character into {@code chars} at {@code n}; answers the new length. */
    private int decode(int n) {
        int length = Utf8.sequenceLength(in, pos, end);
        if (length == 0) {
            throw malformed("the bytes are not well-formed UTF-8");
        }
        int cp = in[pos] & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            cp = cp << 6 | in[pos + k] & 0x3F;
        }
        pos += length;
        if (cp < 0x10000) {
            chars[n++] = (char) cp;
        } else {
            chars[n++] = Character.highSurrogate(cp);
            chars[n++] = Character.lowSurrogate(cp);
        }
        return n;
    }

    private Number number() {
        int from = pos;
        boolean negative = in[pos] == '-';
        if (negative) {
            pos++;
        }
        int firstDigit = pos;
        if (pos < end && in[pos] == '0') {
            pos++;
        } else if (!digits()) {
            throw malformed("a number needs a digit here");
        }
        int integerDigits = pos - firstDigit;
        boolean whole = true;
        if (pos < end && in[pos] == '.') {
            pos++;
            whole = false;
            if (!digits()) {
                throw malformed("a number needs a digit after its decimal point");
            }
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            whole = false;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (!digits()) {
                throw malformed("a number needs a digit in its exponent");
            }
        }
        if (!whole) {
            return Double.valueOf(Double.parseDouble(new String(in, from, pos - from, StandardCharsets.ISO_8859_1)));
        }
        return integerDigits <= 18 ? small(firstDigit, negative) : big(from);
    }

    private boolean digits() {
        int from = pos;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        return pos > from;
    }

    /** At most 18 digits: they fit a long. */
    private Number small(int firstDigit, boolean negative) {
        long v = 0;
        for (int i = firstDigit; i < pos; i++) {
            v = v * 10 + (in[i] - '0');
        }
        if (negative) {
            v = -v;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return Integer.valueOf((int) v);
        }
        return Long.valueOf(v);
    }

    private Number big(int from) {
        BigInteger v = new BigInteger(new String(in, from, pos - from, StandardCharsets.ISO_8859_1));
        if (v.bitLength() < 64) {
            return Long.valueOf(v.longValue());
        }
        return v;
    }

    private Object literal(byte[] word, Object value) {
        if (pos + word.length > end) {
            throw malformed("the text ends inside a literal");
        }
        for (int i = 0; i < word.length; i++) {
            if (in[pos + i] != word[i]) {
                throw malformed("a value can't start with " + describe(in[pos]));
            }
        }
        pos += word.length;
        return value;
    }

    private void expect(char c, String what) {
        if (pos >= end) {
            throw malformed("the text ends where " + what + " should be");
        }
        if (in[pos] != c) {
            throw malformed("expected " + what + ", found " + describe(in[pos]));
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private static String describe(byte b) {
        int v = b & 0xFF;
        if (v >= 0x20 && v < 0x7F) {
            return "'" + (char) v + "'";
        }
        String hex = Integer.toHexString(v);
        return "the byte 0x" + (hex.length() == 1 ? "0" + hex : hex);
    }

    private MalformedJsonException malformed(String what) {
        return new MalformedJsonException("Malformed JSON at byte " + (pos - start) + ": " + what);
    }
}
