package dev.cove.store.sqlite;

import dev.cove.core.model.DebugSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debug sessions in the store's file, a row each, replaced by id when the session ends; the caller
 * holds the connection's lock. A file made before sessions were kept gets the table as it opens.
 */
final class SqliteDebugSessions {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS debug_sessions (
              id TEXT PRIMARY KEY, namespace TEXT NOT NULL, key TEXT NOT NULL, target TEXT NOT NULL,
              opened INTEGER NOT NULL, closed INTEGER, exit INTEGER);
            CREATE INDEX IF NOT EXISTS debug_sessions_by_opened ON debug_sessions (namespace, opened);
            """;

    private SqliteDebugSessions() {}

    static void put(Connection c, DebugSession s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO debug_sessions "
                + "(id, namespace, key, target, opened, closed, exit) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, s.id());
            p.setString(2, s.namespace());
            p.setString(3, s.key());
            p.setString(4, s.target());
            p.setLong(5, s.opened().toEpochMilli());
            p.setObject(6, s.closed().map(Instant::toEpochMilli).orElse(null)); // null: not closed (yet)
            p.setObject(7, s.exit().orElse(null));
            p.executeUpdate();
        }
    }

    static List<DebugSession> list(Connection c, String namespace, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, namespace, key, target, opened, closed, exit "
                + "FROM debug_sessions WHERE namespace = ? ORDER BY opened DESC, id DESC LIMIT ?")) {
            p.setString(1, namespace);
            p.setInt(2, Math.max(0, limit));
            List<DebugSession> found = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    found.add(new DebugSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), optionalLong(rs, 6).map(Instant::ofEpochMilli),
                            optionalLong(rs, 7).map(Math::toIntExact)));
                }
            }
            return found;
        }
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static int deleteOpenedBefore(Connection c, long epochMillis) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM debug_sessions WHERE opened < ?")) {
            p.setLong(1, epochMillis);
            return p.executeUpdate();
        }
    }
}
