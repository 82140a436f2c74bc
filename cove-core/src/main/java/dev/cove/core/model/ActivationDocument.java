package dev.cove.core.model;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An activation as OpenWhisk's REST API shows it: either its JSON as read back from somewhere, or the
 * parts that make it, from which the JSON is written when first asked for.
 *
 * <p>Why parts: every activation is recorded, on the invocation path, and most of its JSON is the
 * same for every activation of a function version (names, limits, annotations) or of an outcome. A
 * record keeps those as shared fragments, and only the activation's own values (id, times, result,
 * logs) beside them; the store writes the same split (the SQLite store's activation format), so that a busy
 * function's records are neither encoded nor copied whole on their way to disk. The JSON is written
 * field by field into a byte array, the result going in as the bytes it already has: a generic tree
 * serialisation spent more CPU recording each activation than the gateway spent serving it.
 */
public final class ActivationDocument {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    /** A small direct-mapped cache of versions' fragments, by identity: a miss only encodes them again. */
    private static final Fragments[] FRAGMENTS = new Fragments[64];

    /** What every activation of one function version in one tier starts with, and its first annotations. */
    private record Fragments(FunctionRevision revision, Optional<TierVerdict> tier, byte[] head, byte[] annotations) {}

    private final byte[] head;
    private final byte[] status;
    private final byte[] annotations;
    private final String activationId;
    private final long startMillis;
    private final long endMillis;
    private final byte[] result;
    private final List<String> logs;
    /** -1 when the activation caused no cold start. */
    private final long initTimeMillis;
    private final long waitTimeMillis;
    private final Optional<String> causedBy;
    private final boolean timeout;
    private volatile byte[] json;

    private ActivationDocument(byte[] head, byte[] status, byte[] annotations, String activationId, long startMillis,
            long endMillis, byte[] result, List<String> logs, long initTimeMillis, long waitTimeMillis,
            Optional<String> causedBy, boolean timeout) {
        this.head = head;
        this.status = status;
        this.annotations = annotations;
        this.activationId = activationId;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.result = result;
        this.logs = List.copyOf(logs);
        this.initTimeMillis = initTimeMillis;
        this.waitTimeMillis = waitTimeMillis;
        this.causedBy = causedBy;
        this.timeout = timeout;
    }

    private ActivationDocument(byte[] json) {
        this(null, null, null, null, 0, 0, null, List.of(), -1, 0, Optional.empty(), false);
        this.json = json;
    }

    /**
     * A document from its parts, as a store read them back: {@code head}, {@code status} and
     * {@code annotations} are the fragments that {@link #head()}, {@link #status()} and
     * {@link #annotations()} gave when it was written.
     */
    public static ActivationDocument ofParts(byte[] head, byte[] status, byte[] annotations, String activationId,
            long startMillis, long endMillis, byte[] result, List<String> logs, long initTimeMillis,
            long waitTimeMillis, Optional<String> causedBy, boolean timeout) {
        return new ActivationDocument(head, status, annotations, activationId, startMillis, endMillis, result, logs,
                initTimeMillis, waitTimeMillis, causedBy, timeout);
    }

    /** A document that is only its JSON. */
    public static ActivationDocument of(byte[] json) {
        return new ActivationDocument(json);
    }

    /**
     * The document of an activation of {@code revision} in {@code tier} (a Java function's; empty for
     * other kinds); {@code status} is the outcome's fragment ({@link #statusFragment}), {@code result}
     * the result's UTF-8 JSON.
     */
    public static ActivationDocument of(FunctionRevision revision, Optional<TierVerdict> tier, byte[] status,
            String activationId, long startMillis, long endMillis, byte[] result, List<String> logs,
            long initTimeMillis, long waitTimeMillis, Optional<String> causedBy, boolean timeout) {
        return of(revision, tier, status, activationId, startMillis, endMillis, result, logs, initTimeMillis,
                waitTimeMillis, causedBy, timeout, Optional.empty());
    }

    /**
     * As above, for an activation that runs {@code replayOf} again: its {@code replayOf} annotation goes
     * with the annotations' fragment, which the stores keep with each record.
     */
    public static ActivationDocument of(FunctionRevision revision, Optional<TierVerdict> tier, byte[] status,
            String activationId, long startMillis, long endMillis, byte[] result, List<String> logs,
            long initTimeMillis, long waitTimeMillis, Optional<String> causedBy, boolean timeout,
            Optional<String> replayOf) {
        Fragments f = fragments(revision, tier);
        byte[] annotations = replayOf.map(id -> concat(f.annotations,
                (",{\"key\":\"replayOf\",\"value\":\"" + id + "\"}").getBytes(StandardCharsets.ISO_8859_1)))
                .orElse(f.annotations);
        return new ActivationDocument(f.head, status, annotations, activationId, startMillis, endMillis, result,
                logs, initTimeMillis, waitTimeMillis, causedBy, timeout);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** What follows an activation's times for an outcome, up to its result. */
    public static byte[] statusFragment(int statusCode, String label, boolean success) {
        return (",\"statusCode\":" + statusCode + ",\"response\":{\"status\":\"" + label + "\",\"statusCode\":"
                + statusCode + ",\"success\":" + success + ",\"result\":").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** True when this is JSON only, with no parts. */
    public boolean whole() {
        return head == null;
    }

    /** The fragment shared by the activations of one function version: its name, namespace, version. Callers must not change the array. */
    public byte[] head() {
        return head;
    }

    /** The outcome's fragment ({@link #statusFragment}). */
    public byte[] status() {
        return status;
    }

    /** The fragment of the function version's annotations. */
    public byte[] annotations() {
        return annotations;
    }

    /** The result's UTF-8 JSON. */
    public byte[] result() {
        return result;
    }

    public List<String> logs() {
        return logs;
    }

    /** How long loading the code took, or -1 when this was no cold start. */
    public long initTimeMillis() {
        return initTimeMillis;
    }

    public long waitTimeMillis() {
        return waitTimeMillis;
    }

    public boolean timeout() {
        return timeout;
    }

    /** The UTF-8 JSON; callers must not change the array. */
    public byte[] json() {
        byte[] bytes = json;
        if (bytes == null) {
            bytes = write();
            json = bytes; // a race only writes twice
        }
        return bytes;
    }

    private byte[] write() {
        int logBytes = 0;
        for (String line : logs) {
            logBytes += line.length() + 3;
        }
        Writer w = new Writer(head.length + status.length + annotations.length + result.length + logBytes + 360);
        w.bytes(head).id(activationId)
                .raw(",\"start\":").number(startMillis)
                .raw(",\"end\":").number(endMillis)
                .raw(",\"duration\":").number(endMillis - startMillis)
                .bytes(status).bytes(result)
                .raw("},\"logs\":[");
        for (int i = 0; i < logs.size(); i++) {
            w.raw(i == 0 ? "" : ",").string(logs.get(i));
        }
        w.raw("],\"annotations\":[").bytes(annotations);
        if (initTimeMillis >= 0) {
            w.raw(",{\"key\":\"initTime\",\"value\":").number(initTimeMillis).raw("}");
        }
        w.raw(",{\"key\":\"waitTime\",\"value\":").number(waitTimeMillis).raw("}");
        causedBy.ifPresent(id -> w.raw(",{\"key\":\"causedBy\",\"value\":").string(id).raw("}"));
        if (timeout) {
            w.raw(",{\"key\":\"timeout\",\"value\":true}");
        }
        w.raw("],\"publish\":false}");
        return w.done();
    }

    private static Fragments fragments(FunctionRevision revision, Optional<TierVerdict> tier) {
        int slot = System.identityHashCode(revision) & (FRAGMENTS.length - 1);
        Fragments f = FRAGMENTS[slot];
        if (f == null || f.revision != revision || !f.tier.equals(tier)) {
            f = new Fragments(revision, tier, head(revision), annotations(revision, tier));
            FRAGMENTS[slot] = f; // a record's fields are final: another thread sees it whole, or not at all
        }
        return f;
    }

    private static byte[] head(FunctionRevision r) {
        return new Writer(128).raw("{\"namespace\":").string(r.namespace())
                .raw(",\"name\":").string(r.name())
                .raw(",\"version\":").string(r.semver())
                .raw(",\"subject\":").string(r.namespace())
                .raw(",\"activationId\":").done();
    }

    private static byte[] annotations(FunctionRevision r, Optional<TierVerdict> tier) {
        Limits l = r.spec().limits();
        Writer w = new Writer(192).raw("{\"key\":\"path\",\"value\":").string(r.path())
                .raw("},{\"key\":\"kind\",\"value\":").string(r.spec().kind().kindName())
                .raw("},{\"key\":\"limits\",\"value\":{\"timeout\":").number(l.timeout().toMillis())
                .raw(",\"memory\":").number(l.memoryMb())
                .raw(",\"concurrency\":").number(l.concurrency())
                .raw(",\"logs\":").number(l.logsMb()).raw("}}");
        tier.ifPresent(t -> {
            w.raw(",{\"key\":\"tier\",\"value\":").string(t.tier().wire()).raw("}");
            t.reason().ifPresent(why -> w.raw(",{\"key\":\"tierReason\",\"value\":").string(why).raw("}"));
        });
        return w.done();
    }

    /** JSON into a byte array: punctuation and keys as they are, outside strings escaped. */
    private static final class Writer {
        private byte[] out;
        private int length;

        Writer(int sizeHint) {
            out = new byte[sizeHint];
        }

        byte[] done() {
            return length == out.length ? out : Arrays.copyOf(out, length);
        }

        private void room(int more) {
            if (length + more > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
            }
        }

        /** Text that needs no escaping: the encoder's own punctuation and keys. */
        Writer raw(String ascii) {
            room(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                out[length++] = (byte) ascii.charAt(i);
            }
            return this;
        }

        /** An id: as it is when it is letters and digits, as the platform's own ids are, else escaped. */
        Writer id(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (!Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) > 'z') {
                    return string(text);
                }
            }
            return raw("\"").raw(text).raw("\"");
        }

        Writer string(String text) {
            return raw("\"").bytes(ESCAPE.quoteAsUTF8(text)).raw("\"");
        }

        Writer number(long value) {
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

        Writer bytes(byte[] json) {
            room(json.length);
            System.arraycopy(json, 0, out, length, json.length);
            length += json.length;
            return this;
        }
    }
}
