package dev.cove.store.sqlite;

import dev.cove.core.model.ActivationDocument;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * Activation records in SQLite, one row per group-committed batch rather than one per activation.
 *
 * <p>Why: a row per record with its indexes cost as much CPU as serving the invocation itself (the
 * figures are in bench/README.md); a batch of hundreds is one row. What is lost is an index per
 * record, so reads work from the batches' ranges instead:
 * <ul>
 *   <li>by id: an id's first 12 hex digits are its arrival time in ms, and each batch knows the range
 *       of arrivals it holds (index on {@code max_arrival}); the candidate batches are scanned;
 *   <li>newest first: batches are visited by descending {@code max_start} and their records merged
 *       into a top-k heap, stopping once no unvisited batch can hold a newer record;
 *   <li>by function: {@code activation_functions} lists the batches that hold each function;
 *   <li>by cause: {@code activation_causes} has a row for each activation another one caused, so
 *       only chained activations pay for it.
 * </ul>
 * Retention drops whole batches and rewrites the few that straddle the cutoff.
 */
final class SqliteActivations {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS activation_batches (
              id INTEGER PRIMARY KEY, min_arrival INTEGER NOT NULL, max_arrival INTEGER NOT NULL,
              min_start INTEGER NOT NULL, max_start INTEGER NOT NULL, count INTEGER NOT NULL,
              records BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS activation_batches_by_arrival ON activation_batches (max_arrival, min_arrival);
            CREATE INDEX IF NOT EXISTS activation_batches_by_start ON activation_batches (max_start, min_start);
            CREATE TABLE IF NOT EXISTS activation_functions (
              namespace TEXT NOT NULL, name TEXT NOT NULL, max_start INTEGER NOT NULL, batch INTEGER NOT NULL,
              PRIMARY KEY (namespace, name, max_start, batch)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS activation_causes (
              namespace TEXT NOT NULL, parent TEXT NOT NULL, child TEXT NOT NULL,
              PRIMARY KEY (namespace, parent, child)) WITHOUT ROWID;
            """;
    /**
     * The most a row's records take, encoded: a busy second's group commit of thousands of records
     * stays several rows, so that no buffer is over half a G1 region (2 MB with a 6 GB heap), where
     * each allocation is humongous and starts a collection.
     */
    static final int MAX_ROW_BYTES = 512 * 1024;
    /**
     * The format byte of the batches written (see {@link #body}): each record as its parts (see
     * {@link ActivationDocument}), the fragments they share once per batch, as one LZ4 block. Records
     * repeat their function's names, limits and annotations, so a batch shrinks many times over; LZ4
     * costs a fraction of deflate's time; and parts spare writing each record's JSON. The figures are
     * in bench/README.md.
     */
    private static final byte FORMAT = 5;
    /** Formats still read: each record's JSON with its query fields, as one LZ4 block, deflated, or as is. */
    private static final byte LZ4_WHOLE = 4;
    private static final byte DEFLATED = 3;
    private static final byte PLAIN = 2;
    /** As {@link #PLAIN}, without the records' causedBy. */
    private static final byte UNCAUSED = 1;
    private static final byte WHOLE = 0;
    private static final byte PARTS = 1;
    /** The native library where it loads (as it does on Linux x86-64 and arm64), else pure Java. */
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private static final Comparator<ActivationRecord> NEWEST_FIRST = Comparator
            .comparingLong(ActivationRecord::startMillis).thenComparing(ActivationRecord::activationId).reversed();

    private SqliteActivations() {}

    /**
     * Stores the records as batches of at most {@link #MAX_ROW_BYTES} each; the caller holds the
     * connection and its transaction.
     */
    static void put(Connection c, List<ActivationRecord> records) throws SQLException {
        int from = 0;
        long bytes = 4;
        for (int i = 0; i < records.size(); i++) {
            long size = encodedSize(records.get(i));
            if (i > from && bytes + size > MAX_ROW_BYTES) {
                putBatch(c, records.subList(from, i), bytes);
                from = i;
                bytes = 4;
            }
            bytes += size;
        }
        putBatch(c, records.subList(from, records.size()), bytes);
        putCauses(c, records);
    }

    /** A function whose records are in a batch. */
    private record Function(String namespace, String name) {}

    /** Stores one batch, whose body takes {@code bytes}, and files it under each function it holds. */
    private static void putBatch(Connection c, List<ActivationRecord> records, long bytes) throws SQLException {
        long batch = insertBatch(c, records, bytes);
        Map<Function, long[]> newestPerFunction = new HashMap<>();
        Function last = null;
        long[] newest = null;
        for (ActivationRecord r : records) { // a busy function's records come in runs: one lookup a run
            if (last == null || !last.name().equals(r.name()) || !last.namespace().equals(r.namespace())) {
                last = new Function(r.namespace(), r.name());
                newest = newestPerFunction.computeIfAbsent(last, f -> new long[] {Long.MIN_VALUE});
            }
            newest[0] = Math.max(newest[0], r.startMillis());
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO activation_functions (namespace, name, max_start, batch) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Function, long[]> e : newestPerFunction.entrySet()) {
                p.setString(1, e.getKey().namespace());
                p.setString(2, e.getKey().name());
                p.setLong(3, e.getValue()[0]);
                p.setLong(4, batch);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static void putCauses(Connection c, List<ActivationRecord> records) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT OR IGNORE INTO activation_causes (namespace, parent, child) VALUES (?, ?, ?)")) {
            for (ActivationRecord r : records) {
                if (r.causedBy().isPresent()) {
                    p.setString(1, r.namespace());
                    p.setString(2, r.causedBy().get());
                    p.setString(3, r.activationId());
                    p.addBatch();
                }
            }
            p.executeBatch();
        }
    }

    /** The activations the given one caused, oldest first. */
    static List<ActivationRecord> causedBy(Connection c, String namespace, String parent) throws SQLException {
        List<String> children = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT child FROM activation_causes WHERE namespace = ? AND parent = ? ORDER BY child")) {
            p.setString(1, namespace);
            p.setString(2, parent);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    children.add(rs.getString(1));
                }
            }
        }
        List<ActivationRecord> found = new ArrayList<>();
        for (String child : children) {
            get(c, namespace, child).ifPresent(found::add);
        }
        return found;
    }

    private static long insertBatch(Connection c, List<ActivationRecord> records, long bytes) throws SQLException {
        long minArrival = Long.MAX_VALUE, maxArrival = Long.MIN_VALUE, minStart = Long.MAX_VALUE, maxStart = Long.MIN_VALUE;
        for (ActivationRecord r : records) {
            long arrival = arrival(r.activationId(), r.startMillis());
            minArrival = Math.min(minArrival, arrival);
            maxArrival = Math.max(maxArrival, arrival);
            minStart = Math.min(minStart, r.startMillis());
            maxStart = Math.max(maxStart, r.startMillis());
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO activation_batches "
                + "(min_arrival, max_arrival, min_start, max_start, count, records) VALUES (?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, minArrival);
            p.setLong(2, maxArrival);
            p.setLong(3, minStart);
            p.setLong(4, maxStart);
            p.setInt(5, records.size());
            p.setBytes(6, encode(records, bytes));
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * The arrival time an id carries in its first 12 hex digits (see the dispatcher); an id that
     * carries none is filed under its start.
     */
    static long arrival(String activationId, long fallback) {
        if (activationId.length() == 32) {
            try {
                return Long.parseLong(activationId, 0, 12, 16);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    static Optional<ActivationRecord> get(Connection c, String namespace, String activationId) throws SQLException {
        if (activationId.length() != 32) {
            return Optional.empty();
        }
        long arrival = arrival(activationId, -1);
        try (PreparedStatement p = c.prepareStatement("SELECT records FROM activation_batches "
                + "WHERE max_arrival >= ? AND min_arrival <= ?")) {
            p.setLong(1, arrival);
            p.setLong(2, arrival);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    for (ActivationRecord r : decode(rs.getBytes(1))) {
                        if (r.activationId().equals(activationId) && r.namespace().equals(namespace)) {
                            return Optional.of(r);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Newest first: batches by descending newest start, merged into the top skip+limit. */
    static List<ActivationRecord> list(Connection c, ActivationQuery q) throws SQLException {
        int wanted = q.skip() + q.limit();
        if (wanted == 0) {
            return List.of();
        }
        PriorityQueue<ActivationRecord> best = new PriorityQueue<>(NEWEST_FIRST.reversed());
        try (PreparedStatement p = batchesNewestFirst(c, q); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                long batchNewest = rs.getLong(1);
                if (best.size() == wanted && batchNewest < best.peek().startMillis()) {
                    break; // no record in this or any later-visited batch is newer than what is kept
                }
                for (ActivationRecord r : decode(rs.getBytes(2))) {
                    if (matches(r, q)) {
                        best.add(r);
                        if (best.size() > wanted) {
                            best.poll();
                        }
                    }
                }
            }
        }
        return best.stream().sorted(NEWEST_FIRST).skip(q.skip()).toList();
    }

    private static PreparedStatement batchesNewestFirst(Connection c, ActivationQuery q) throws SQLException {
        String bounds = " AND b.max_start >= ? AND b.min_start <= ?";
        PreparedStatement p;
        if (q.name().isPresent()) {
            p = c.prepareStatement("SELECT f.max_start, b.records FROM activation_functions f "
                    + "JOIN activation_batches b ON b.id = f.batch WHERE f.namespace = ? AND f.name = ?" + bounds
                    + " ORDER BY f.max_start DESC");
            p.setString(1, q.namespace());
            p.setString(2, q.name().get());
            p.setLong(3, q.sinceMillis().orElse(Long.MIN_VALUE));
            p.setLong(4, q.uptoMillis().orElse(Long.MAX_VALUE));
        } else {
            p = c.prepareStatement("SELECT b.max_start, b.records FROM activation_batches b WHERE 1 = 1" + bounds
                    + " ORDER BY b.max_start DESC");
            p.setLong(1, q.sinceMillis().orElse(Long.MIN_VALUE));
            p.setLong(2, q.uptoMillis().orElse(Long.MAX_VALUE));
        }
        return p;
    }

    private static boolean matches(ActivationRecord r, ActivationQuery q) {
        return r.namespace().equals(q.namespace())
                && q.name().map(r.name()::equals).orElse(true)
                && q.sinceMillis().map(s -> r.startMillis() >= s).orElse(true)
                && q.uptoMillis().map(u -> r.startMillis() <= u).orElse(true);
    }

    /** Drops batches wholly older than the cutoff and rewrites those that straddle it; answers how many records went. */
    static int deleteStartedBefore(Connection c, long cutoff) throws SQLException {
        int removed = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT coalesce(sum(count), 0) FROM activation_batches "
                + "WHERE max_start < ?")) {
            p.setLong(1, cutoff);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                removed += rs.getInt(1);
            }
        }
        execute(c, "DELETE FROM activation_batches WHERE max_start < ?", cutoff);
        execute(c, "DELETE FROM activation_functions WHERE max_start < ?", cutoff);
        try (PreparedStatement p = c.prepareStatement("DELETE FROM activation_causes WHERE child < ?")) {
            p.setString(1, String.format("%012x", Math.max(0, cutoff))); // ids begin with their arrival in hex
            p.executeUpdate();
        }
        List<long[]> straddling = new ArrayList<>();
        List<List<ActivationRecord>> kept = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, records FROM activation_batches "
                + "WHERE min_start < ?")) {
            p.setLong(1, cutoff);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    List<ActivationRecord> records = decode(rs.getBytes(2));
                    List<ActivationRecord> keep = records.stream().filter(r -> r.startMillis() >= cutoff).toList();
                    removed += records.size() - keep.size();
                    straddling.add(new long[] {rs.getLong(1)});
                    kept.add(keep);
                }
            }
        }
        for (int i = 0; i < straddling.size(); i++) {
            execute(c, "DELETE FROM activation_batches WHERE id = ?", straddling.get(i)[0]);
            execute(c, "DELETE FROM activation_functions WHERE batch = ?", straddling.get(i)[0]);
            put(c, kept.get(i));
        }
        return removed;
    }

    private static void execute(Connection c, String sql, long value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, value);
            p.executeUpdate();
        }
    }

    /** Format 5: the format byte, the body's length (an int), then the body as one LZ4 block. */
    static byte[] encode(List<ActivationRecord> records) {
        return encode(records, bodySize(records));
    }

    private static byte[] encode(List<ActivationRecord> records, long bodySize) {
        Growing body = body(records, bodySize);
        LZ4Compressor lz4 = LZ4.fastCompressor();
        byte[] out = new byte[5 + lz4.maxCompressedLength(body.size())];
        out[0] = FORMAT;
        ByteBuffer.wrap(out, 1, 4).putInt(body.size());
        int length = lz4.compress(body.array(), 0, body.size(), out, 5, out.length - 5);
        return Arrays.copyOf(out, 5 + length);
    }

    private static long bodySize(List<ActivationRecord> records) {
        long size = 4;
        for (ActivationRecord r : records) {
            size += encodedSize(r);
        }
        return size;
    }

    /**
     * Format 5's body: the count of records; the fragments the records share (a count, then each as
     * its length and bytes); then each record: its query fields as format 2 has them, and either its
     * whole JSON or its parts, the shared ones as indexes into the fragments.
     */
    private static Growing body(List<ActivationRecord> records, long sizeHint) {
        Growing blob = new Growing(Math.toIntExact(Math.min(sizeHint + 1024, Integer.MAX_VALUE - 16)));
        Map<byte[], Integer> fragments = new IdentityHashMap<>();
        List<byte[]> table = new ArrayList<>();
        for (ActivationRecord r : records) {
            ActivationDocument d = r.document();
            if (!d.whole()) {
                for (byte[] f : new byte[][] {d.head(), d.status(), d.annotations()}) {
                    if (fragments.putIfAbsent(f, table.size()) == null) {
                        table.add(f);
                    }
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(blob)) {
            out.writeInt(records.size());
            out.writeInt(table.size());
            for (byte[] f : table) {
                out.writeInt(f.length);
                out.write(f);
            }
            for (ActivationRecord r : records) {
                out.writeUTF(r.activationId());
                out.writeUTF(r.namespace());
                out.writeUTF(r.name());
                out.writeLong(r.startMillis());
                out.writeLong(r.endMillis());
                out.writeInt(r.statusCode());
                out.writeUTF(r.causedBy().orElse(""));
                ActivationDocument d = r.document();
                if (d.whole()) {
                    out.writeByte(WHOLE);
                    out.writeInt(d.json().length);
                    out.write(d.json());
                    continue;
                }
                out.writeByte(PARTS);
                out.writeInt(fragments.get(d.head()));
                out.writeInt(fragments.get(d.status()));
                out.writeInt(fragments.get(d.annotations()));
                out.writeInt(d.result().length);
                out.write(d.result());
                out.writeInt(d.logs().size());
                for (String line : d.logs()) {
                    byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
                out.writeLong(d.initTimeMillis());
                out.writeLong(d.waitTimeMillis());
                out.writeBoolean(d.timeout());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return blob;
    }

    /** The body of a batch of format 3, 4 or 5, whose header says how long it is. */
    private static byte[] unpacked(byte[] blob) {
        int length = blob.length < 5 ? -1 : ByteBuffer.wrap(blob, 1, 4).getInt();
        if (length < 4 || length / 1032 > blob.length) { // deflate shrinks at most 1032 times, LZ4 255
            throw new IllegalStateException("an activation batch is corrupt: a body of " + length + " bytes");
        }
        byte[] body = new byte[length];
        if (blob[0] == DEFLATED) {
            inflate(blob, body);
            return body;
        }
        try {
            if (LZ4.safeDecompressor().decompress(blob, 5, blob.length - 5, body, 0) != length) {
                throw new IllegalStateException("an activation batch is corrupt: its body ends early");
            }
        } catch (LZ4Exception e) {
            throw new IllegalStateException("an activation batch is corrupt", e);
        }
        return body;
    }

    private static void inflate(byte[] blob, byte[] body) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(blob, 5, blob.length - 5);
            int at = 0;
            while (at < body.length) {
                int n = inflater.inflate(body, at, body.length - at);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("an activation batch is corrupt: its body ends early");
                }
                at += n;
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("an activation batch is corrupt", e);
        } finally {
            inflater.end();
        }
    }

    /** A byte array stream whose array is compressed where it is, not copied out first. */
    private static final class Growing extends ByteArrayOutputStream {
        Growing(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * About what {@link #body} writes for the record, for cutting batches into rows: exact for ASCII
     * ids and names, and over for log lines (three bytes a char), so that no row grows past its bound.
     */
    private static long encodedSize(ActivationRecord r) {
        long size = 2 + r.activationId().length() + 2 + r.namespace().length() + 2 + r.name().length() + 8 + 8 + 4
                + 2 + r.causedBy().map(String::length).orElse(0) + 1;
        ActivationDocument d = r.document();
        if (d.whole()) {
            return size + 4 + d.json().length;
        }
        size += 12 + 4 + d.result().length + 4 + 8 + 8 + 1;
        for (String line : d.logs()) {
            size += 4 + 3L * line.length();
        }
        return size;
    }

    static List<ActivationRecord> decode(byte[] blob) {
        byte format = blob.length == 0 ? 0 : blob[0];
        return switch (format) {
            case UNCAUSED, PLAIN -> decode(blob, 1, format);
            case DEFLATED, LZ4_WHOLE -> decode(unpacked(blob), 0, PLAIN);
            case FORMAT -> decode(unpacked(blob), 0, FORMAT);
            default -> throw new IllegalStateException("an activation batch of an unknown format");
        };
    }

    /** Reads a body of format 1, 2 (which 3 and 4 hold) or 5 from {@code offset} on. */
    private static List<ActivationRecord> decode(byte[] bytes, int offset, int format) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset))) {
            int count = in.readInt();
            byte[][] fragments = new byte[format == FORMAT ? Math.min(in.readInt(), bytes.length) : 0][];
            for (int i = 0; i < fragments.length; i++) {
                fragments[i] = lengthAndBytes(in);
            }
            List<ActivationRecord> records = new ArrayList<>(Math.min(count, bytes.length));
            for (int i = 0; i < count; i++) {
                Fields f = Fields.read(in, format);
                ActivationDocument document = format == FORMAT ? document(in, fragments, f)
                        : ActivationDocument.of(lengthAndBytes(in));
                records.add(new ActivationRecord(f.id(), f.namespace(), f.name(), f.start(), f.end(), f.status(),
                        document, f.causedBy()));
            }
            return records;
        } catch (IOException e) {
            throw new IllegalStateException("an activation batch is corrupt", e);
        }
    }

    /** A record's query fields, which every format writes ahead of its document. */
    private record Fields(String id, String namespace, String name, long start, long end, int status,
            Optional<String> causedBy) {
        static Fields read(DataInputStream in, int format) throws IOException {
            String id = in.readUTF();
            String namespace = in.readUTF();
            String name = in.readUTF();
            long start = in.readLong();
            long end = in.readLong();
            int status = in.readInt();
            String causedBy = format == UNCAUSED ? "" : in.readUTF();
            return new Fields(id, namespace, name, start, end, status, Optional.of(causedBy).filter(s -> !s.isEmpty()));
        }
    }

    /** A format 5 record's document: its JSON, or its parts (see {@link #body}). */
    private static ActivationDocument document(DataInputStream in, byte[][] fragments, Fields f) throws IOException {
        return switch (in.readByte()) {
            case WHOLE -> ActivationDocument.of(lengthAndBytes(in));
            case PARTS -> {
                byte[] head = fragment(fragments, in.readInt());
                byte[] outcome = fragment(fragments, in.readInt());
                byte[] annotations = fragment(fragments, in.readInt());
                byte[] result = lengthAndBytes(in);
                List<String> logs = new ArrayList<>();
                for (int n = in.readInt(); logs.size() < n; ) {
                    logs.add(new String(lengthAndBytes(in), StandardCharsets.UTF_8));
                }
                yield ActivationDocument.ofParts(head, outcome, annotations, f.id(), f.start(), f.end(), result, logs,
                        in.readLong(), in.readLong(), f.causedBy(), in.readBoolean());
            }
            default -> throw new IOException("a record of an unknown kind");
        };
    }

    private static byte[] lengthAndBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static byte[] fragment(byte[][] fragments, int index) throws IOException {
        if (index < 0 || index >= fragments.length) {
            throw new IOException("no fragment " + index + " of " + fragments.length);
        }
        return fragments[index];
    }
}
