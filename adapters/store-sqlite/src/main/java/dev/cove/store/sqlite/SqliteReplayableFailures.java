package dev.cove.store.sqlite;

import dev.cove.core.model.ReplayableFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Failed activations' parameters in the store's file, a row each, for {@code cove replay} after a
 * restart; the caller holds the connection's lock. A file made before they were kept gets the table as
 * it opens.
 */
final class SqliteReplayableFailures {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS replayable_failures (
              id TEXT PRIMARY KEY, namespace TEXT NOT NULL, function TEXT NOT NULL, version INTEGER NOT NULL,
              inline INTEGER NOT NULL, params TEXT NOT NULL, started INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS replayable_failures_by_start ON replayable_failures (namespace, started);
            """;

    private SqliteReplayableFailures() {}

    static void put(Connection c, List<ReplayableFailure> failures) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO replayable_failures "
                + "(id, namespace, function, version, inline, params, started) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ReplayableFailure f : failures) {
                p.setString(1, f.activationId());
                p.setString(2, f.namespace());
                p.setString(3, f.function());
                p.setInt(4, f.version());
                p.setInt(5, f.inline() ? 1 : 0);
                p.setString(6, f.params());
                p.setLong(7, f.started().toEpochMilli());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Removes the namespace's failures but the {@code keep} that started last. */
    static void trim(Connection c, String namespace, int keep) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM replayable_failures WHERE namespace = ? AND id NOT IN "
                + "(SELECT id FROM replayable_failures WHERE namespace = ? ORDER BY started DESC, id DESC LIMIT ?)")) {
            p.setString(1, namespace);
            p.setString(2, namespace);
            p.setInt(3, Math.max(0, keep));
            p.executeUpdate();
        }
    }

    static Optional<ReplayableFailure> get(Connection c, String namespace, String activationId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT function, version, inline, params, started "
                + "FROM replayable_failures WHERE id = ? AND namespace = ?")) {
            p.setString(1, activationId);
            p.setString(2, namespace);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new ReplayableFailure(namespace, activationId, rs.getString(1),
                        rs.getInt(2), rs.getInt(3) != 0, rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))))
                        : Optional.empty();
            }
        }
    }

    static int deleteStartedBefore(Connection c, long epochMillis) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM replayable_failures WHERE started < ?")) {
            p.setLong(1, epochMillis);
            return p.executeUpdate();
        }
    }
}
