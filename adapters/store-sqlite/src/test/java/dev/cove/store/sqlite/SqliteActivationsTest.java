package dev.cove.store.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.model.ActivationDocument;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a batch of activation records is laid out in its row: records as their parts with the
 * fragments they share once (format 5), and as earlier versions wrote them.
 */
class SqliteActivationsTest {
    static final FunctionRevision ECHO = revision("echo", 1);
    static final FunctionRevision OTHER = revision("other", 4);

    static FunctionRevision revision(String name, int version) {
        return new FunctionRevision("guest", FunctionSpec.of(name, Kind.NODEJS,
                Code.source("function main(a) { return a; }"), "main"), version, Instant.EPOCH);
    }

    /** A record read back from JSON, as formats 1-4 hold them. */
    static ActivationRecord record(int i, Optional<String> causedBy) {
        String json = "{\"name\":\"echo\",\"response\":{\"result\":{\"n\":" + i + ",\"text\":\"h\u00e9llo \u2603\"}},"
                + "\"annotations\":[{\"key\":\"limits\",\"value\":{\"timeout\":60000,\"memory\":256}}]}";
        return new ActivationRecord(String.format("%032x", i), "guest", "echo", 1_000L + i, 1_005L + i, 0,
                json.getBytes(StandardCharsets.UTF_8), causedBy);
    }

    /** A record of an activation that just ended: its parts, its JSON not yet written. */
    static ActivationRecord parts(int i, Optional<String> causedBy) {
        FunctionRevision revision = i % 2 == 0 ? ECHO : OTHER;
        boolean failed = i % 3 == 0;
        String id = String.format("%032x", i);
        ActivationDocument document = ActivationDocument.of(revision, Optional.empty(),
                ActivationDocument.statusFragment(failed ? 2 : 0, failed ? "action developer error" : "success", !failed),
                id, 1_000L + i, 1_005L + i,
                ("{\"n\":" + i + ",\"text\":\"h\u00e9llo \u2603\"}").getBytes(StandardCharsets.UTF_8),
                i % 4 == 0 ? List.of("2026-01-01T00:00:00Z stdout: line " + i, "t stderr: \"h\u00e9\" \uD83D\uDE00") : List.of(),
                i % 5 == 0 ? 3 : -1, i % 7, causedBy, i % 9 == 0);
        return new ActivationRecord(id, revision.namespace(), revision.name(), 1_000L + i, 1_005L + i,
                failed ? 2 : 0, document, causedBy);
    }

    static List<ActivationRecord> batch(int n) {
        List<ActivationRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Optional<String> causedBy = i % 3 == 0 ? Optional.of(String.format("%032x", i + 1_000_000)) : Optional.empty();
            records.add(i % 10 == 7 ? record(i, causedBy) : parts(i, causedBy));
        }
        return records;
    }

    static void assertSame(List<ActivationRecord> read, List<ActivationRecord> written) {
        assertThat(read).hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            ActivationRecord a = read.get(i);
            ActivationRecord b = written.get(i);
            assertThat(a).usingRecursiveComparison().comparingOnlyFields("activationId", "namespace", "name",
                    "startMillis", "endMillis", "statusCode", "causedBy").isEqualTo(b);
            assertThat(a.jsonText()).isEqualTo(b.jsonText());
        }
    }

    @Test
    void aBatchIsCompressedAndReadsBackWhole() {
        List<ActivationRecord> records = batch(500);
        byte[] row = SqliteActivations.encode(records);
        int json = records.stream().mapToInt(r -> r.json().length).sum();
        assertThat(row[0]).as("format").isEqualTo((byte) 5);
        assertThat(row.length).as("records that repeat their names and limits shrink").isLessThan(json / 5);
        assertSame(SqliteActivations.decode(row), records);
        assertSame(SqliteActivations.decode(SqliteActivations.encode(List.of())), List.of());
    }

    @Test
    void aRecordWrittenFromItsPartsIsTheJsonOfThoseParts() throws Exception {
        ActivationRecord r = parts(180, Optional.of("c".repeat(32))); // logs, a cold start, a failure, a timeout
        var json = new ObjectMapper().readTree(r.json());
        assertThat(json.path("activationId").asText()).isEqualTo(r.activationId());
        assertThat(json.path("name").asText()).isEqualTo("echo");
        assertThat(json.path("duration").asLong()).isEqualTo(5);
        assertThat(json.path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(json.path("response").path("result").path("text").asText()).isEqualTo("h\u00e9llo \u2603");
        assertThat(json.path("logs").get(1).asText()).isEqualTo("t stderr: \"h\u00e9\" \uD83D\uDE00");
        assertThat(json.path("annotations").toString())
                .contains("{\"key\":\"path\",\"value\":\"guest/echo\"}")
                .contains("{\"key\":\"initTime\",\"value\":3}")
                .contains("{\"key\":\"waitTime\",\"value\":5}")
                .contains("{\"key\":\"causedBy\",\"value\":\"" + "c".repeat(32) + "\"}")
                .contains("{\"key\":\"timeout\",\"value\":true}");
        assertThat(r.json()).as("written once").isSameAs(r.json());
    }

    @Test
    void batchesEarlierVersionsWroteAreStillRead() throws Exception {
        List<ActivationRecord> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            records.add(record(i, i % 3 == 0 ? Optional.of(String.format("%032x", i + 1_000_000)) : Optional.empty()));
        }
        byte[] body = format2Body(records);
        assertSame(SqliteActivations.decode(packed((byte) 4, lz4(body), body.length)), records);
        assertSame(SqliteActivations.decode(packed((byte) 3, deflated(body), body.length)), records);
        byte[] format2 = new byte[body.length + 1];
        format2[0] = 2;
        System.arraycopy(body, 0, format2, 1, body.length);
        assertSame(SqliteActivations.decode(format2), records);

        ActivationRecord uncaused = record(1, Optional.empty());
        byte[] format1 = format2Body(List.of(uncaused));
        // format 1 had no causedBy: the same body without its (empty) causedBy, two bytes of length 0
        int causedAt = format1.length - 4 - uncaused.json().length - 2;
        byte[] withoutCause = new byte[format1.length - 2 + 1];
        withoutCause[0] = 1;
        System.arraycopy(format1, 0, withoutCause, 1, causedAt);
        System.arraycopy(format1, causedAt + 2, withoutCause, 1 + causedAt, format1.length - causedAt - 2);
        assertSame(SqliteActivations.decode(withoutCause), List.of(uncaused));
    }

    /** Formats 2 to 4's body: the count, then each record's fields and its JSON. */
    private static byte[] format2Body(List<ActivationRecord> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (ActivationRecord r : records) {
                out.writeUTF(r.activationId());
                out.writeUTF(r.namespace());
                out.writeUTF(r.name());
                out.writeLong(r.startMillis());
                out.writeLong(r.endMillis());
                out.writeInt(r.statusCode());
                out.writeUTF(r.causedBy().orElse(""));
                out.writeInt(r.json().length);
                out.write(r.json());
            }
        }
        return bytes.toByteArray();
    }

    /** The format byte, the body's length, then the body packed. */
    private static byte[] packed(byte format, byte[] packedBody, int bodyLength) {
        byte[] out = new byte[5 + packedBody.length];
        out[0] = format;
        ByteBuffer.wrap(out, 1, 4).putInt(bodyLength);
        System.arraycopy(packedBody, 0, out, 5, packedBody.length);
        return out;
    }

    private static byte[] deflated(byte[] body) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(body);
        deflater.finish();
        byte[] out = new byte[body.length + 64];
        int length = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, length);
    }

    private static byte[] lz4(byte[] body) {
        LZ4Compressor lz4 = LZ4Factory.fastestInstance().fastCompressor();
        return lz4.compress(body);
    }

    @Test
    void aCorruptOrUnknownBatchFailsClearly() throws Exception {
        byte[] row = SqliteActivations.encode(batch(20));
        assertThatThrownBy(() -> SqliteActivations.decode(Arrays.copyOf(row, row.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        byte[] scrambled = row.clone();
        for (int i = 5; i < scrambled.length; i++) {
            scrambled[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> SqliteActivations.decode(scrambled))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        byte[] body = format2Body(List.of(record(1, Optional.empty()), record(2, Optional.empty())));
        byte[] deflated = packed((byte) 3, deflated(body), body.length);
        assertThatThrownBy(() -> SqliteActivations.decode(Arrays.copyOf(deflated, deflated.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        for (byte format = 3; format <= 5; format++) {
            byte f = format;
            assertThatThrownBy(() -> SqliteActivations.decode(new byte[] {f, 0, 0}))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        }
        assertThatThrownBy(() -> SqliteActivations.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessage("an activation batch of an unknown format");
        assertThatThrownBy(() -> SqliteActivations.decode(new byte[0]))
                .isInstanceOf(IllegalStateException.class).hasMessage("an activation batch of an unknown format");
    }
}
