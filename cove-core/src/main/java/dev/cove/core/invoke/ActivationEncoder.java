package dev.cove.core.invoke;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.cove.core.registry.FunctionRevision;
import dev.cove.core.registry.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an {@link Activation} as OpenWhisk's JSON, field by field into a byte array: the result goes
 * in as the bytes it already has, the parts that are the same for every activation of a function
 * version are encoded once per version, and only strings that come from outside (log lines, the
 * caller's id) are escaped. Every activation is encoded once, on the thread that ends it, so this is
 * on the invocation path: profiling showed the generic tree serialisation spending more CPU on
 * recording each activation than the gateway spent serving it, and a field-by-field writer that
 * allocated for every key still took about 4 µs.
 */
final class ActivationEncoder {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final byte[][] STATUS = new byte[ActivationStatus.values().length][];
    /** A small direct-mapped cache of versions' fragments, by identity: a miss only encodes them again. */
    private static final Fragments[] FRAGMENTS = new Fragments[64];

    static {
        for (ActivationStatus s : ActivationStatus.values()) {
            STATUS[s.ordinal()] = latin1(",\"statusCode\":" + s.statusCode() + ",\"response\":{\"status\":\"" + s.label()
                    + "\",\"statusCode\":" + s.statusCode() + ",\"success\":" + s.success() + ",\"result\":");
        }
    }

    /** What every activation of one function version starts with, and its first annotations. */
    private record Fragments(FunctionRevision revision, byte[] head, byte[] annotations) {}

    private byte[] out;
    private int length;

    private ActivationEncoder(int sizeHint) {
        out = new byte[sizeHint];
    }

    static byte[] encode(Activation a) {
        byte[] result = a.result().bytes();
        Fragments f = fragments(a.revision());
        int logBytes = 0;
        for (String line : a.logs()) {
            logBytes += line.length() + 3;
        }
        ActivationEncoder e = new ActivationEncoder(f.head.length + f.annotations.length + result.length + logBytes
                + 360);
        e.bytes(f.head).id(a.activationId())
                .raw(",\"start\":").number(a.start().toEpochMilli())
                .raw(",\"end\":").number(a.end().toEpochMilli())
                .raw(",\"duration\":").number(a.end().toEpochMilli() - a.start().toEpochMilli())
                .bytes(STATUS[a.status().ordinal()]).bytes(result)
                .raw("},\"logs\":[");
        for (int i = 0; i < a.logs().size(); i++) {
            e.raw(i == 0 ? "" : ",").string(a.logs().get(i));
        }
        e.raw("],\"annotations\":[").bytes(f.annotations);
        a.initTime().ifPresent(t -> e.raw(",{\"key\":\"initTime\",\"value\":").number(t.toMillis()).raw("}"));
        e.raw(",{\"key\":\"waitTime\",\"value\":").number(a.waitTime().toMillis()).raw("}");
        a.causedBy().ifPresent(id -> e.raw(",{\"key\":\"causedBy\",\"value\":").string(id).raw("}"));
        if (a.status() == ActivationStatus.TIMEOUT) {
            e.raw(",{\"key\":\"timeout\",\"value\":true}");
        }
        e.raw("],\"publish\":false}");
        return e.length == e.out.length ? e.out : Arrays.copyOf(e.out, e.length);
    }

    private static Fragments fragments(FunctionRevision revision) {
        int slot = System.identityHashCode(revision) & (FRAGMENTS.length - 1);
        Fragments f = FRAGMENTS[slot];
        if (f == null || f.revision != revision) {
            f = new Fragments(revision, head(revision), annotations(revision));
            FRAGMENTS[slot] = f; // a record's fields are final: another thread sees it whole, or not at all
        }
        return f;
    }

    private static byte[] head(FunctionRevision r) {
        ActivationEncoder e = new ActivationEncoder(128);
        e.raw("{\"namespace\":").string(r.namespace())
                .raw(",\"name\":").string(r.name())
                .raw(",\"version\":").string(r.semver())
                .raw(",\"subject\":").string(r.namespace())
                .raw(",\"activationId\":");
        return Arrays.copyOf(e.out, e.length);
    }

    private static byte[] annotations(FunctionRevision r) {
        Limits l = r.spec().limits();
        ActivationEncoder e = new ActivationEncoder(192);
        e.raw("{\"key\":\"path\",\"value\":").string(r.path())
                .raw("},{\"key\":\"kind\",\"value\":").string(r.spec().kind().kindName())
                .raw("},{\"key\":\"limits\",\"value\":{\"timeout\":").number(l.timeout().toMillis())
                .raw(",\"memory\":").number(l.memoryMb())
                .raw(",\"concurrency\":").number(l.concurrency())
                .raw(",\"logs\":").number(l.logsMb()).raw("}}");
        return Arrays.copyOf(e.out, e.length);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void room(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }

    /** Text that needs no escaping: the encoder's own punctuation and keys. */
    private ActivationEncoder raw(String ascii) {
        room(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            out[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** An id: as it is when it is letters and digits, as the platform's own ids are, else escaped. */
    private ActivationEncoder id(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) > 'z') {
                return string(text);
            }
        }
        return raw("\"").raw(text).raw("\"");
    }

    private ActivationEncoder string(String text) {
        return raw("\"").bytes(ESCAPE.quoteAsUTF8(text)).raw("\"");
    }

    private ActivationEncoder number(long value) {
        if (value < 0) {
            return raw(Long.toString(value));
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    private ActivationEncoder bytes(byte[] json) {
        room(json.length);
        System.arraycopy(json, 0, out, length, json.length);
        length += json.length;
        return this;
    }
}
