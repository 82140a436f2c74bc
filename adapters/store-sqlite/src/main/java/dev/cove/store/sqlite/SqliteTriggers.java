package dev.cove.store.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Triggers and rules in the store's file, on the connection that writes definitions (durable when a call
 * returns); the caller holds that connection's lock. A trigger's row also keeps when its schedule last
 * fired, so that deleting the trigger forgets it in the same statement and a new version keeps it.
 */
final class SqliteTriggers {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS triggers (
              namespace TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, updated INTEGER NOT NULL,
              spec TEXT NOT NULL, last_fire INTEGER, PRIMARY KEY (namespace, name));
            CREATE TABLE IF NOT EXISTS rules (
              namespace TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, updated INTEGER NOT NULL,
              trigger TEXT NOT NULL, function TEXT NOT NULL, selector TEXT, retries INTEGER NOT NULL DEFAULT 0,
              active INTEGER NOT NULL, PRIMARY KEY (namespace, name));
            CREATE TABLE IF NOT EXISTS trigger_failures (
              namespace TEXT NOT NULL, id TEXT NOT NULL, trigger TEXT NOT NULL, rule TEXT NOT NULL,
              function TEXT NOT NULL, event TEXT NOT NULL, payload TEXT NOT NULL, attempts INTEGER NOT NULL,
              error TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (namespace, id));
            """;

    private final Connection c;

    SqliteTriggers(Connection definitions) {
        this.c = definitions;
    }

    Trigger put(String namespace, TriggerSpec spec, Instant updated) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO triggers (namespace, name, version, updated, spec) "
                + "VALUES (?, ?, 1, ?, ?) ON CONFLICT (namespace, name) DO UPDATE SET version = triggers.version + 1, "
                + "updated = excluded.updated, spec = excluded.spec")) {
            p.setString(1, namespace);
            p.setString(2, spec.name());
            p.setLong(3, updated.toEpochMilli());
            p.setString(4, TriggerJson.write(spec));
            p.executeUpdate();
        }
        return trigger(namespace, spec.name()).orElseThrow();
    }

    Optional<Trigger> trigger(String namespace, String name) throws SQLException {
        return triggers("WHERE namespace = ? AND name = ?", namespace, name).stream().findFirst();
    }

    List<Trigger> triggers() throws SQLException {
        return triggers("ORDER BY namespace, name");
    }

    private List<Trigger> triggers(String where, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT namespace, name, version, updated, spec FROM triggers " + where)) {
            bind(p, args);
            List<Trigger> found = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    found.add(new Trigger(rs.getString(1), TriggerJson.read(rs.getString(2), rs.getString(5)),
                            rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return found;
        }
    }

    Optional<Trigger> delete(String namespace, String name) throws SQLException {
        Optional<Trigger> trigger = trigger(namespace, name);
        if (trigger.isPresent()) {
            delete("triggers", namespace, name);
        }
        return trigger;
    }

    Rule putRule(String namespace, RuleSpec spec, boolean active, Instant updated) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO rules (namespace, name, version, updated, trigger, "
                + "function, selector, active, retries) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, name) "
                + "DO UPDATE SET version = rules.version + 1, updated = excluded.updated, trigger = excluded.trigger, "
                + "function = excluded.function, selector = excluded.selector, active = excluded.active, "
                + "retries = excluded.retries")) {
            p.setString(1, namespace);
            p.setString(2, spec.name());
            p.setLong(3, updated.toEpochMilli());
            p.setString(4, spec.trigger());
            p.setString(5, spec.function());
            p.setString(6, spec.selector().map(LabelSelector::text).orElse(null));
            p.setInt(7, active ? 1 : 0);
            p.setInt(8, spec.retries());
            p.executeUpdate();
        }
        return rule(namespace, spec.name()).orElseThrow();
    }

    Optional<Rule> rule(String namespace, String name) throws SQLException {
        return rules("WHERE namespace = ? AND name = ?", namespace, name).stream().findFirst();
    }

    List<Rule> rules() throws SQLException {
        return rules("ORDER BY namespace, name");
    }

    private List<Rule> rules(String where, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT namespace, name, version, updated, trigger, function, active, selector, retries FROM rules " + where)) {
            bind(p, args);
            List<Rule> found = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Optional<LabelSelector> selector = Optional.ofNullable(rs.getString(8)).map(LabelSelector::parse);
                    found.add(new Rule(rs.getString(1), new RuleSpec(rs.getString(2), rs.getString(5), rs.getString(6),
                            selector, rs.getInt(9)), rs.getInt(7) == 1, rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return found;
        }
    }

    Optional<Rule> deleteRule(String namespace, String name) throws SQLException {
        Optional<Rule> rule = rule(namespace, name);
        if (rule.isPresent()) {
            delete("rules", namespace, name);
        }
        return rule;
    }

    Optional<Instant> lastFire(String namespace, String trigger) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT last_fire FROM triggers WHERE namespace = ? AND name = ? AND last_fire IS NOT NULL")) {
            bind(p, namespace, trigger);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
            }
        }
    }

    void putLastFire(String namespace, String trigger, Instant due) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE triggers SET last_fire = ? WHERE namespace = ? AND name = ?")) {
            p.setLong(1, due.toEpochMilli());
            p.setString(2, namespace);
            p.setString(3, trigger);
            p.executeUpdate();
        }
    }

    void putFailure(TriggerFailure f) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO trigger_failures (namespace, id, trigger, "
                + "rule, function, event, payload, attempts, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, f.namespace());
            p.setString(2, f.id());
            p.setString(3, f.trigger());
            p.setString(4, f.rule());
            p.setString(5, f.function());
            p.setString(6, f.eventId());
            p.setString(7, f.payload().toString());
            p.setInt(8, f.attempts());
            p.setString(9, f.error());
            p.setLong(10, f.at().toEpochMilli());
            p.executeUpdate();
        }
    }

    List<TriggerFailure> failures(String where, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT namespace, id, trigger, rule, function, event, payload, "
                + "attempts, error, at FROM trigger_failures " + where + " ORDER BY at DESC, id DESC")) {
            bind(p, args);
            List<TriggerFailure> found = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    found.add(new TriggerFailure(rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), (ObjectNode) SpecJson.readTree(rs.getString(7)),
                            rs.getInt(8), rs.getString(9), Instant.ofEpochMilli(rs.getLong(10))));
                }
            }
            return found;
        }
    }

    Optional<TriggerFailure> deleteFailure(String namespace, String id) throws SQLException {
        Optional<TriggerFailure> failure = failures("WHERE namespace = ? AND id = ?", namespace, id).stream().findFirst();
        if (failure.isPresent()) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM trigger_failures WHERE namespace = ? AND id = ?")) {
                bind(p, namespace, id);
                p.executeUpdate();
            }
        }
        return failure;
    }

    private void delete(String table, String namespace, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE namespace = ? AND name = ?")) {
            bind(p, namespace, name);
            p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            p.setString(i + 1, args[i]);
        }
    }
}
