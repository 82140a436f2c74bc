package dev.cove.worker;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Compact JSON, UTF-8, written straight into a growable byte array. Values are what the function API
 * calls JSON ({@code Map} with string keys, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}), written as Jackson's defaults write them, so that a function's result
 * reads the same in both Java tiers: whole numbers as they are, {@code BigDecimal} by its
 * {@code toString}, any other number as a double ({@code Double.toString}). Anything else is
 * {@link NotJson}. A lone surrogate is written as its {@code \}{@code uXXXX} escape, which decodes to
 * the same string.
 *
 * <p>Writers are reused through {@link #borrow} and {@link #release}: a run's result, a call's
 * parameters and a cache value are each encoded into one, without allocating on a warm path.
 */
final class JsonWriter {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    /** Per ASCII character: 0 when written as it is, else the letter of its escape ('u' for {@code \}{@code u00XX}). */
    private static final byte[] ESCAPES = new byte[128];
    private static final int POOLED = 8;
    private static final int KEPT_CAPACITY = 1 << 20;
    private static final AtomicReferenceArray<JsonWriter> POOL = new AtomicReferenceArray<>(POOLED);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private byte[] buf;
    private int size;

    JsonWriter(int capacity) {
        buf = new byte[capacity];
    }

    /** A writer from the pool, empty. */
    static JsonWriter borrow() {
        for (int i = 0; i < POOLED; i++) {
            JsonWriter w = POOL.get(i);
            if (w != null && POOL.compareAndSet(i, w, null)) {
                return w;
            }
        }
        return new JsonWriter(512);
    }

    /** Gives the writer back; its bytes must not be used afterwards. */
    void release() {
        if (buf.length > KEPT_CAPACITY) {
            return;
        }
        size = 0;
        for (int i = 0; i < POOLED; i++) {
            if (POOL.get(i) == null && POOL.compareAndSet(i, null, this)) {
                return;
            }
        }
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    JsonWriter raw(byte b) {
        room(1);
        buf[size++] = b;
        return this;
    }

    JsonWriter raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    JsonWriter raw(byte[] bytes, int off, int len) {
        room(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    /** Text known to be ASCII (a number's digits), as it is. */
    private void ascii(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) text.charAt(i);
        }
    }

    /** Any JSON value; on {@link NotJson} what was written so far is garbage. */
    void value(Object value) throws NotJson {
        if (value == null) {
            raw(NULL);
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (value instanceof Number n) {
            number(n);
        } else if (value instanceof Map<?, ?> map) {
            object(map);
        } else if (value instanceof List<?> list) {
            array(list);
        } else {
            throw new NotJson("a " + value.getClass().getName());
        }
    }

    private void object(Map<?, ?> map) throws NotJson {
        raw((byte) '{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new NotJson("a key that is not a string");
            }
            if (!first) {
                raw((byte) ',');
            }
            first = false;
            string(key);
            raw((byte) ':');
            try {
                value(e.getValue());
            } catch (NotJson inner) {
                throw inner.under("." + key);
            }
        }
        raw((byte) '}');
    }

    private void array(List<?> list) throws NotJson {
        raw((byte) '[');
        int i = 0;
        for (Object item : list) {
            if (i > 0) {
                raw((byte) ',');
            }
            try {
                value(item);
            } catch (NotJson inner) {
                throw inner.under("[" + i + "]");
            }
            i++;
        }
        raw((byte) ']');
    }

    private void number(Number n) throws NotJson {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            number(n.longValue());
        } else if (n instanceof BigInteger || n instanceof BigDecimal) {
            ascii(n.toString());
        } else {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NotJson("a non-finite number");
            }
            ascii(Double.toString(d));
        }
    }

    JsonWriter number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return this;
        }
        room(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int p = size + digits;
        size = p;
        do {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return this;
    }

    /** A string, quoted and escaped; the common case, ASCII needing no escape, is one tight loop. */
    JsonWriter string(String s) {
        int n = s.length();
        room(n + 2);
        byte[] out = buf;
        int p = size;
        out[p++] = '"';
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ESCAPES[c] != 0) {
                break;
            }
            out[p++] = (byte) c;
        }
        size = p;
        if (i < n) {
            rest(s, i, n);
        }
        return raw((byte) '"');
    }

    private void rest(String s, int from, int n) {
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            room(6);
            if (c < 0x80) {
                if (ESCAPES[c] == 0) {
                    buf[size++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[size++] = (byte) (0xF0 | cp >> 18);
                buf[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | cp & 0x3F);
            } else {
                unicodeEscape(c);
            }
        }
    }

    private void escape(char c) {
        byte letter = ESCAPES[c];
        if (letter == 'u') {
            unicodeEscape(c);
        } else {
            buf[size++] = '\\';
            buf[size++] = letter;
        }
    }

    private void unicodeEscape(char c) {
        buf[size++] = '\\';
        buf[size++] = 'u';
        buf[size++] = HEX[c >> 12];
        buf[size++] = HEX[c >> 8 & 0xF];
        buf[size++] = HEX[c >> 4 & 0xF];
        buf[size++] = HEX[c & 0xF];
    }

    /**
     * Bytes meant as UTF-8 text (a line a function printed), as a JSON string. What is not well-formed
     * UTF-8 becomes U+FFFD, one for each such byte, so that a frame is always valid.
     */
    JsonWriter utf8String(byte[] bytes, int off, int len) {
        room(len + 2);
        buf[size++] = '"';
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = bytes[i] & 0xFF;
            room(6);
            if (c < 0x80) {
                if (ESCAPES[c] == 0) {
                    buf[size++] = (byte) c;
                } else {
                    escape((char) c);
                }
                i++;
            } else {
                int n = Utf8.sequenceLength(bytes, i, end);
                if (n == 0) {
                    System.arraycopy(REPLACEMENT, 0, buf, size, 3);
                    size += 3;
                    i++;
                } else {
                    System.arraycopy(bytes, i, buf, size, n);
                    size += n;
                    i += n;
                }
            }
        }
        return raw((byte) '"');
    }

    /** Bytes as a base64 JSON string. */
    JsonWriter base64(byte[] bytes) {
        raw((byte) '"');
        raw(Base64.getEncoder().encode(bytes));
        return raw((byte) '"');
    }

    private void room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
