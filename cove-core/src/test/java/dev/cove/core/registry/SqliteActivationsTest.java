package dev.cove.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** How a batch of activation records is laid out in its row: LZ4-compressed now, and as earlier versions wrote it. */
class SqliteActivationsTest {

    static ActivationRecord record(int i, Optional<String> causedBy) {
        String json = "{\"name\":\"echo\",\"response\":{\"result\":{\"n\":" + i + ",\"text\":\"h\u00e9llo \u2603\"}},"
                + "\"annotations\":[{\"key\":\"limits\",\"value\":{\"timeout\":60000,\"memory\":256}}]}";
        return new ActivationRecord(String.format("%032x", i), "guest", "echo", 1_000L + i, 1_005L + i, 0,
                json.getBytes(StandardCharsets.UTF_8), causedBy);
    }

    static List<ActivationRecord> batch(int n) {
        List<ActivationRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(record(i, i % 3 == 0 ? Optional.of(String.format("%032x", i + 1_000_000)) : Optional.empty()));
        }
        return records;
    }

    static void assertSame(List<ActivationRecord> read, List<ActivationRecord> written) {
        assertThat(read).hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            ActivationRecord a = read.get(i);
            ActivationRecord b = written.get(i);
            assertThat(a).usingRecursiveComparison().ignoringFields("json").isEqualTo(b);
            assertThat(a.json()).isEqualTo(b.json());
        }
    }

    @Test
    void aBatchIsCompressedAndReadsBackWhole() {
        List<ActivationRecord> records = batch(500);
        byte[] row = SqliteActivations.encode(records);
        byte[] body = SqliteActivations.body(records);
        assertThat(row[0]).as("format").isEqualTo((byte) 4);
        assertThat(row.length).as("records that repeat their names and limits shrink").isLessThan(body.length / 5);
        assertSame(SqliteActivations.decode(row), records);
        assertSame(SqliteActivations.decode(SqliteActivations.encode(List.of())), List.of());
    }

    @Test
    void batchesEarlierVersionsWroteAreStillRead() {
        List<ActivationRecord> records = batch(7);
        byte[] body = SqliteActivations.body(records);
        assertSame(SqliteActivations.decode(deflated(body)), records);

        byte[] format2 = new byte[body.length + 1];
        format2[0] = 2;
        System.arraycopy(body, 0, format2, 1, body.length);
        assertSame(SqliteActivations.decode(format2), records);

        ActivationRecord uncaused = record(1, Optional.empty());
        byte[] format1 = SqliteActivations.body(List.of(uncaused));
        // format 1 had no causedBy: the same body without its (empty) causedBy, two bytes of length 0
        int causedAt = format1.length - 4 - uncaused.json().length - 2;
        byte[] withoutCause = new byte[format1.length - 2 + 1];
        withoutCause[0] = 1;
        System.arraycopy(format1, 0, withoutCause, 1, causedAt);
        System.arraycopy(format1, causedAt + 2, withoutCause, 1 + causedAt, format1.length - causedAt - 2);
        assertSame(SqliteActivations.decode(withoutCause), List.of(uncaused));
    }

    /** Format 3: the format byte, the body's length, then the body deflated. */
    private static byte[] deflated(byte[] body) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(body);
        deflater.finish();
        byte[] out = new byte[5 + body.length + 64];
        out[0] = 3;
        ByteBuffer.wrap(out, 1, 4).putInt(body.length);
        int length = deflater.deflate(out, 5, out.length - 5);
        deflater.end();
        return Arrays.copyOf(out, 5 + length);
    }

    @Test
    void aCorruptOrUnknownBatchFailsClearly() {
        byte[] row = SqliteActivations.encode(batch(20));
        assertThatThrownBy(() -> SqliteActivations.decode(Arrays.copyOf(row, row.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        byte[] scrambled = row.clone();
        for (int i = 5; i < scrambled.length; i++) {
            scrambled[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> SqliteActivations.decode(scrambled))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        byte[] deflated = deflated(SqliteActivations.body(batch(20)));
        assertThatThrownBy(() -> SqliteActivations.decode(Arrays.copyOf(deflated, deflated.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        assertThatThrownBy(() -> SqliteActivations.decode(new byte[] {4, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an activation batch is corrupt");
        assertThatThrownBy(() -> SqliteActivations.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessage("an activation batch of an unknown format");
        assertThatThrownBy(() -> SqliteActivations.decode(new byte[0]))
                .isInstanceOf(IllegalStateException.class).hasMessage("an activation batch of an unknown format");
    }
}
