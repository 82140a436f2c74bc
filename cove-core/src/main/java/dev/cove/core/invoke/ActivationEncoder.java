package dev.cove.core.invoke;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.cove.core.registry.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link Activation} as OpenWhisk's JSON, field by field into a byte buffer: the result goes
 * in as the bytes it already has, and only strings that come from outside (names, log lines) are
 * escaped. Profiling showed the generic tree serialisation spending more CPU on recording each
 * activation than the gateway spent serving it.
 */
final class ActivationEncoder {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final ByteArrayOutputStream out;

    private ActivationEncoder(int sizeHint) {
        out = new ByteArrayOutputStream(sizeHint);
    }

    static byte[] encode(Activation a) {
        byte[] result = a.result().bytes();
        ActivationEncoder e = new ActivationEncoder(result.length + 512);
        e.raw("{\"namespace\":").string(a.revision().namespace())
                .raw(",\"name\":").string(a.revision().name())
                .raw(",\"version\":").string(a.revision().semver())
                .raw(",\"subject\":").string(a.revision().namespace())
                .raw(",\"activationId\":").string(a.activationId())
                .raw(",\"start\":").number(a.start().toEpochMilli())
                .raw(",\"end\":").number(a.end().toEpochMilli())
                .raw(",\"duration\":").number(a.end().toEpochMilli() - a.start().toEpochMilli())
                .raw(",\"statusCode\":").number(a.status().statusCode())
                .raw(",\"response\":{\"status\":").string(a.status().label())
                .raw(",\"statusCode\":").number(a.status().statusCode())
                .raw(",\"success\":").raw(a.status().success() ? "true" : "false")
                .raw(",\"result\":").bytes(result)
                .raw("},\"logs\":[");
        for (int i = 0; i < a.logs().size(); i++) {
            e.raw(i == 0 ? "" : ",").string(a.logs().get(i));
        }
        e.raw("],\"annotations\":[");
        e.annotations(a);
        return e.raw("],\"publish\":false}").out.toByteArray();
    }

    private void annotations(Activation a) {
        Limits l = a.revision().spec().limits();
        raw("{\"key\":\"path\",\"value\":").string(a.revision().path())
                .raw("},{\"key\":\"kind\",\"value\":").string(a.revision().spec().kind().kindName())
                .raw("},{\"key\":\"limits\",\"value\":{\"timeout\":").number(l.timeout().toMillis())
                .raw(",\"memory\":").number(l.memoryMb())
                .raw(",\"concurrency\":").number(l.concurrency())
                .raw(",\"logs\":").number(l.logsMb()).raw("}}");
        a.initTime().ifPresent(t -> raw(",{\"key\":\"initTime\",\"value\":").number(t.toMillis()).raw("}"));
        raw(",{\"key\":\"waitTime\",\"value\":").number(a.waitTime().toMillis()).raw("}");
        a.causedBy().ifPresent(id -> raw(",{\"key\":\"causedBy\",\"value\":").string(id).raw("}"));
        if (a.status() == ActivationStatus.TIMEOUT) {
            raw(",{\"key\":\"timeout\",\"value\":true}");
        }
    }

    /** Text that needs no escaping: the encoder's own punctuation and keys. */
    private ActivationEncoder raw(String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    private ActivationEncoder string(String text) {
        out.write('"');
        out.writeBytes(ESCAPE.quoteAsUTF8(text));
        out.write('"');
        return this;
    }

    private ActivationEncoder number(long value) {
        return raw(Long.toString(value));
    }

    private ActivationEncoder bytes(byte[] json) {
        out.writeBytes(json);
        return this;
    }
}
