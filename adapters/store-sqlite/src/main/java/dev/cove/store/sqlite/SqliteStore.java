package dev.cove.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.spi.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded store: one SQLite file in WAL mode.
 *
 * <p>Three connections, each used under its own lock: one writes namespaces and functions with
 * {@code synchronous=FULL} (durable before the call returns, even across a power cut); one writes
 * activation records in batches with {@code synchronous=NORMAL} (a committed batch survives a crash
 * of the process, the platform's group commit bounds what a power cut can lose), and the queued
 * invocations, each of which leaves in the transaction that stores its record, the debug sessions and
 * the failed activations' parameters; one reads activations (and executions, debug sessions and failed
 * activations' parameters) so that listing them never waits behind a batch being written.
 */
public final class SqliteStore implements Store {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS namespaces (
              name TEXT PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, key TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS functions (
              namespace TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, updated INTEGER NOT NULL,
              spec TEXT NOT NULL, code BLOB NOT NULL, application TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (namespace, name));
            CREATE TABLE IF NOT EXISTS queued_invocations (
              id TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, params TEXT NOT NULL,
              caused_by TEXT, arrived INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS executions (
              id TEXT PRIMARY KEY, namespace TEXT NOT NULL, application TEXT NOT NULL, status TEXT NOT NULL,
              started INTEGER NOT NULL, document TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS executions_by_start ON executions (namespace, started);
            CREATE TABLE IF NOT EXISTS applications (
              namespace TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, updated INTEGER NOT NULL,
              workflow TEXT, PRIMARY KEY (namespace, name));
            """ + SqliteActivations.SCHEMA + SqliteTriggers.SCHEMA + SqliteDebugSessions.SCHEMA
            + SqliteReplayableFailures.SCHEMA;
    /** A function deployed alone has '' for its application: it is an application of one. */
    private static final String ALONE = "";
    private static final String FUNCTION_COLUMNS = "namespace, name, version, updated, spec, code, "
            + "CASE application WHEN '' THEN name ELSE application END";

    private final Connection definitions;
    private final Connection activationWriter;
    private final Connection activationReader;
    private final SqliteTriggers triggers;
    /**
     * The ids in {@code queued_invocations}, changed after each commit under the activation writer's
     * lock, so that a batch of records deletes the rows of just those of its activations that were
     * queued: a DELETE for each record would cost every activation, and most are never queued. The
     * server is the file's only writer.
     */
    private final Set<String> queuedIds = new HashSet<>();

    /**
     * Opens the store in the file, creating the file and its folders when missing.
     *
     * @throws StoreException when the file can't be opened or its tables created
     */
    public static Store open(Path file) {
        return new SqliteStore(file);
    }

    private SqliteStore(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            definitions = open(file, "FULL");
            try (Statement s = definitions.createStatement()) {
                for (String ddl : SCHEMA.split(";")) {
                    if (!ddl.isBlank()) {
                        s.execute(ddl);
                    }
                }
                addApplicationColumn(s);
                try (ResultSet rs = s.executeQuery("SELECT id FROM queued_invocations")) {
                    while (rs.next()) {
                        queuedIds.add(rs.getString(1));
                    }
                }
            }
            activationWriter = open(file, "NORMAL");
            activationReader = open(file, "NORMAL");
            triggers = new SqliteTriggers(definitions);
        } catch (Exception e) {
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores made before applications existed get the column, every function alone. */
    private static void addApplicationColumn(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('functions') WHERE name = 'application'")) {
            if (rs.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE functions ADD COLUMN application TEXT NOT NULL DEFAULT ''");
    }

    /**
     * Transactions begin IMMEDIATE: a deferred one that reads before it writes can't wait for the
     * write lock in WAL mode (SQLite answers SQLITE_BUSY at once rather than risk a deadlock), so
     * the version bump of a deployment takes the lock up front and waits its turn behind the
     * activation writer.
     */
    private static Connection open(Path file, String synchronous) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("transaction_mode", "IMMEDIATE");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
        try (Statement s = c.createStatement()) {
            // 64 KB pages for a new file: a batch of activation records spans a sixteenth of the pages
            // (and of the WAL's writes) it would at SQLite's default 4 KB; an existing file keeps its size
            s.execute("PRAGMA page_size=65536");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=" + synchronous);
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA cache_size=-65536"); // 64 MB: keeps the activation indexes' hot pages in memory
            try (ResultSet page = s.executeQuery("PRAGMA page_size")) {
                // checkpoint when the WAL holds about 40 MB, whatever the file's page size
                s.execute("PRAGMA wal_autocheckpoint=" + (40 << 20) / page.getInt(1));
            }
        }
        return c;
    }

    @Override
    public Optional<Namespace> namespace(String name) {
        return namespaces().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public List<Namespace> namespaces() {
        synchronized (definitions) {
            try (Statement s = definitions.createStatement();
                    ResultSet rs = s.executeQuery("SELECT name, uuid, key FROM namespaces ORDER BY name")) {
                List<Namespace> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(new Namespace(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
                return all;
            } catch (SQLException e) {
                throw failed("read the namespaces", e);
            }
        }
    }

    @Override
    public void putNamespace(Namespace namespace) {
        synchronized (definitions) {
            try (PreparedStatement p = definitions.prepareStatement(
                    "INSERT INTO namespaces (name, uuid, key) VALUES (?, ?, ?) "
                            + "ON CONFLICT (name) DO UPDATE SET uuid = excluded.uuid, key = excluded.key")) {
                p.setString(1, namespace.name());
                p.setString(2, namespace.uuid());
                p.setString(3, namespace.key());
                p.executeUpdate();
            } catch (SQLException e) {
                throw failed("store the namespace " + namespace.name(), e);
            }
        }
    }

    @Override
    public FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated) {
        synchronized (definitions) {
            inTransaction(definitions, "store the function " + namespace + "/" + spec.name(),
                    c -> writeFunction(namespace, spec, updated, ALONE));
            return function(namespace, spec.name()).orElseThrow();
        }
    }

    /**
     * Writes a new version as a function of the application, or {@link #ALONE}: a function redeployed
     * alone keeps the application it belongs to.
     */
    private void writeFunction(String namespace, FunctionSpec spec, Instant updated, String application)
            throws SQLException {
        int version = currentVersion(namespace, spec.name()) + 1;
        String joins = application.equals(ALONE) ? "" : ", application = excluded.application";
        try (PreparedStatement p = definitions.prepareStatement(
                "INSERT INTO functions (namespace, name, version, updated, spec, code, application) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, name) DO UPDATE SET "
                        + "version = excluded.version, updated = excluded.updated, spec = excluded.spec, "
                        + "code = excluded.code" + joins)) {
            p.setString(1, namespace);
            p.setString(2, spec.name());
            p.setInt(3, version);
            p.setLong(4, updated.toEpochMilli());
            p.setString(5, SpecJson.write(spec));
            p.setBytes(6, spec.code().bytes());
            p.setString(7, application);
            p.executeUpdate();
        }
    }

    private int currentVersion(String namespace, String name) throws SQLException {
        return currentVersion("functions", namespace, name);
    }

    private int currentVersion(String table, String namespace, String name) throws SQLException {
        try (PreparedStatement p = definitions.prepareStatement(
                "SELECT version FROM " + table + " WHERE namespace = ? AND name = ?")) {
            p.setString(1, namespace);
            p.setString(2, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    @Override
    public Optional<FunctionRevision> function(String namespace, String name) {
        return selectFunctions("WHERE namespace = ? AND name = ?", namespace, name).stream().findFirst();
    }

    @Override
    public List<FunctionRevision> functions() {
        return selectFunctions("ORDER BY namespace, name");
    }

    private List<FunctionRevision> selectFunctions(String where, String... args) {
        synchronized (definitions) {
            try (PreparedStatement p = definitions.prepareStatement(
                    "SELECT " + FUNCTION_COLUMNS + " FROM functions " + where)) {
                for (int i = 0; i < args.length; i++) {
                    p.setString(i + 1, args[i]);
                }
                List<FunctionRevision> found = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        FunctionSpec spec = SpecJson.read(rs.getString(2), rs.getString(5), rs.getBytes(6));
                        found.add(new FunctionRevision(rs.getString(1), spec, rs.getInt(3),
                                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(7)));
                    }
                }
                return found;
            } catch (SQLException e) {
                throw failed("read functions", e);
            }
        }
    }

    @Override
    public Optional<FunctionRevision> deleteFunction(String namespace, String name) {
        synchronized (definitions) {
            Optional<FunctionRevision> existing = function(namespace, name);
            if (existing.isPresent()) {
                try (PreparedStatement p = definitions.prepareStatement(
                        "DELETE FROM functions WHERE namespace = ? AND name = ?")) {
                    p.setString(1, namespace);
                    p.setString(2, name);
                    p.executeUpdate();
                } catch (SQLException e) {
                    throw failed("delete the function " + namespace + "/" + name, e);
                }
            }
            return existing;
        }
    }

    @Override
    public ApplicationRevision putApplication(String namespace, ApplicationSpec application, Instant updated) {
        synchronized (definitions) {
            inTransaction(definitions, "store the application " + namespace + "/" + application.name(), c -> {
                for (FunctionSpec spec : application.functions()) {
                    writeFunction(namespace, spec, updated, application.name());
                }
                deleteFunctionsLeftOut(namespace, application);
                writeApplicationRow(namespace, application, updated);
            });
            return application(namespace, application.name()).orElseThrow();
        }
    }

    private void deleteFunctionsLeftOut(String namespace, ApplicationSpec application) throws SQLException {
        List<String> kept = application.functionNames();
        try (PreparedStatement p = definitions.prepareStatement("DELETE FROM functions WHERE namespace = ? "
                + "AND application = ? AND name NOT IN (" + String.join(", ", kept.stream().map(n -> "?").toList()) + ")")) {
            p.setString(1, namespace);
            p.setString(2, application.name());
            for (int i = 0; i < kept.size(); i++) {
                p.setString(i + 3, kept.get(i));
            }
            p.executeUpdate();
        }
    }

    private void writeApplicationRow(String namespace, ApplicationSpec application, Instant updated)
            throws SQLException {
        int version = currentVersion("applications", namespace, application.name()) + 1;
        try (PreparedStatement p = definitions.prepareStatement(
                "INSERT OR REPLACE INTO applications (namespace, name, version, updated, workflow) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, namespace);
            p.setString(2, application.name());
            p.setInt(3, version);
            p.setLong(4, updated.toEpochMilli());
            p.setString(5, application.workflow().map(JsonNode::toString).orElse(null));
            p.executeUpdate();
        }
    }

    @Override
    public Optional<ApplicationRevision> application(String namespace, String name) {
        return selectApplications("WHERE namespace = ? AND name = ?", namespace, name).stream().findFirst();
    }

    @Override
    public List<ApplicationRevision> applications() {
        return selectApplications("ORDER BY namespace, name");
    }

    private List<ApplicationRevision> selectApplications(String where, String... args) {
        synchronized (definitions) {
            try (PreparedStatement p = definitions.prepareStatement(
                    "SELECT namespace, name, version, updated, workflow FROM applications " + where)) {
                for (int i = 0; i < args.length; i++) {
                    p.setString(i + 1, args[i]);
                }
                List<ApplicationRevision> found = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String namespace = rs.getString(1);
                        String name = rs.getString(2);
                        found.add(new ApplicationRevision(namespace, name, rs.getInt(3),
                                Instant.ofEpochMilli(rs.getLong(4)),
                                selectFunctions("WHERE namespace = ? AND application = ? ORDER BY name", namespace, name),
                                Optional.ofNullable(rs.getString(5)).map(SpecJson::readTree)));
                    }
                }
                return found;
            } catch (SQLException e) {
                throw failed("read applications", e);
            }
        }
    }

    @Override
    public Optional<ApplicationRevision> deleteApplication(String namespace, String name) {
        synchronized (definitions) {
            Optional<ApplicationRevision> existing = application(namespace, name);
            if (existing.isPresent()) {
                inTransaction(definitions, "delete the application " + namespace + "/" + name, c -> {
                    for (String table : List.of("functions WHERE namespace = ? AND application = ?",
                            "applications WHERE namespace = ? AND name = ?")) {
                        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table)) {
                            p.setString(1, namespace);
                            p.setString(2, name);
                            p.executeUpdate();
                        }
                    }
                });
            }
            return existing;
        }
    }

    @Override
    public void putActivations(List<ActivationRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        synchronized (activationWriter) {
            List<String> dequeued = queuedIds.isEmpty() ? List.of() : records.stream()
                    .map(ActivationRecord::activationId).filter(queuedIds::contains).toList();
            inTransaction(activationWriter, "store " + records.size() + " activation records", c -> {
                SqliteActivations.put(c, records);
                deleteQueued(c, dequeued);
            });
            dequeued.forEach(queuedIds::remove);
        }
    }

    @Override
    public Optional<ActivationRecord> activation(String namespace, String activationId) {
        synchronized (activationReader) {
            try {
                return SqliteActivations.get(activationReader, namespace, activationId);
            } catch (SQLException e) {
                throw failed("read an activation", e);
            }
        }
    }

    @Override
    public List<ActivationRecord> activations(ActivationQuery q) {
        synchronized (activationReader) {
            try {
                return SqliteActivations.list(activationReader, q);
            } catch (SQLException e) {
                throw failed("read activations", e);
            }
        }
    }

    @Override
    public List<ActivationRecord> activationsCausedBy(String namespace, String activationId) {
        synchronized (activationReader) {
            try {
                return SqliteActivations.causedBy(activationReader, namespace, activationId);
            } catch (SQLException e) {
                throw failed("read activations", e);
            }
        }
    }

    @Override
    public void putQueued(List<QueuedInvocation> invocations) {
        synchronized (activationWriter) {
            inTransaction(activationWriter, "keep " + invocations.size() + " queued invocations", c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO queued_invocations "
                        + "(id, namespace, name, params, caused_by, arrived) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (QueuedInvocation q : invocations) {
                        p.setString(1, q.activationId());
                        p.setString(2, q.namespace());
                        p.setString(3, q.name());
                        p.setString(4, q.params().toString());
                        p.setString(5, q.causedBy().orElse(null));
                        p.setLong(6, q.arrivedMillis());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            });
            invocations.forEach(q -> queuedIds.add(q.activationId()));
        }
    }

    @Override
    public void removeQueued(List<String> activationIds) {
        synchronized (activationWriter) {
            inTransaction(activationWriter, "forget " + activationIds.size() + " queued invocations",
                    c -> deleteQueued(c, activationIds));
            activationIds.forEach(queuedIds::remove);
        }
    }

    private static void deleteQueued(Connection c, List<String> activationIds) throws SQLException {
        if (activationIds.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM queued_invocations WHERE id = ?")) {
            for (String id : activationIds) {
                p.setString(1, id);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    @Override
    public List<QueuedInvocation> queued() {
        synchronized (activationReader) {
            try (PreparedStatement p = activationReader.prepareStatement("SELECT id, namespace, name, params, "
                    + "caused_by, arrived FROM queued_invocations ORDER BY arrived, id");
                    ResultSet rs = p.executeQuery()) {
                List<QueuedInvocation> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(new QueuedInvocation(rs.getString(1), rs.getString(2), rs.getString(3),
                            (ObjectNode) SpecJson.readTree(rs.getString(4)),
                            Optional.ofNullable(rs.getString(5)), rs.getLong(6)));
                }
                return all;
            } catch (SQLException e) {
                throw failed("read the queued invocations", e);
            }
        }
    }

    @Override
    public void putExecution(ExecutionRecord e) {
        synchronized (activationWriter) {
            inTransaction(activationWriter, "store the execution " + e.executionId(), c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO executions "
                        + "(id, namespace, application, status, started, document) VALUES (?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, e.executionId());
                    p.setString(2, e.namespace());
                    p.setString(3, e.application());
                    p.setString(4, e.status());
                    p.setLong(5, e.startMillis());
                    p.setString(6, e.document().toString());
                    p.executeUpdate();
                }
            });
        }
    }

    @Override
    public Optional<ExecutionRecord> execution(String namespace, String executionId) {
        return selectExecutions("WHERE namespace = ? AND id = ?", namespace, executionId).stream().findFirst();
    }

    @Override
    public List<ExecutionRecord> executions(String namespace, int limit) {
        return selectExecutions("WHERE namespace = ?" + newestFirst(limit), namespace);
    }

    @Override
    public List<ExecutionRecord> executions(String namespace, String application, int limit) {
        return selectExecutions("WHERE namespace = ? AND application = ?" + newestFirst(limit), namespace, application);
    }

    private static String newestFirst(int limit) {
        return " ORDER BY started DESC, id DESC LIMIT " + Math.max(0, limit);
    }

    @Override
    public List<ExecutionRecord> runningExecutions() {
        return selectExecutions("WHERE status = ? ORDER BY started, id", ExecutionRecord.RUNNING);
    }

    private List<ExecutionRecord> selectExecutions(String where, String... args) {
        synchronized (activationReader) {
            try (PreparedStatement p = activationReader.prepareStatement(
                    "SELECT id, namespace, application, status, started, document FROM executions " + where)) {
                for (int i = 0; i < args.length; i++) {
                    p.setString(i + 1, args[i]);
                }
                List<ExecutionRecord> found = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        found.add(new ExecutionRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getLong(5),
                                (ObjectNode) SpecJson.readTree(rs.getString(6))));
                    }
                }
                return found;
            } catch (SQLException e) {
                throw failed("read executions", e);
            }
        }
    }

    @Override
    public int deleteActivationsStartedBefore(long epochMillis) {
        int[] removed = {0};
        synchronized (activationWriter) {
            inTransaction(activationWriter, "remove old activations",
                    c -> removed[0] = SqliteActivations.deleteStartedBefore(c, epochMillis));
        }
        return removed[0];
    }

    @Override
    public void putDebugSession(DebugSession session) {
        on(activationWriter, "store the debug session " + session.id(), () -> {
            SqliteDebugSessions.put(activationWriter, session);
            return null;
        });
    }

    @Override
    public List<DebugSession> debugSessions(String namespace, int limit) {
        return on(activationReader, "read debug sessions",
                () -> SqliteDebugSessions.list(activationReader, namespace, limit));
    }

    @Override
    public int deleteDebugSessionsOpenedBefore(long epochMillis) {
        return on(activationWriter, "remove old debug sessions",
                () -> SqliteDebugSessions.deleteOpenedBefore(activationWriter, epochMillis));
    }

    @Override
    public void putReplayableFailures(List<ReplayableFailure> failures, int keepPerNamespace) {
        synchronized (activationWriter) {
            inTransaction(activationWriter, "keep the parameters of " + failures.size() + " failed activations", c -> {
                SqliteReplayableFailures.put(c, failures);
                for (String namespace : failures.stream().map(ReplayableFailure::namespace).distinct().toList()) {
                    SqliteReplayableFailures.trim(c, namespace, keepPerNamespace);
                }
            });
        }
    }

    @Override
    public Optional<ReplayableFailure> replayableFailure(String namespace, String activationId) {
        return on(activationReader, "read a failed activation's parameters",
                () -> SqliteReplayableFailures.get(activationReader, namespace, activationId));
    }

    @Override
    public int deleteReplayableFailuresStartedBefore(long epochMillis) {
        return on(activationWriter, "remove old failed activations' parameters",
                () -> SqliteReplayableFailures.deleteStartedBefore(activationWriter, epochMillis));
    }

    @Override
    public Trigger putTrigger(String namespace, TriggerSpec spec, Instant updated) {
        return onDefinitions("store the trigger " + namespace + "/" + spec.name(), () -> triggers.put(namespace, spec, updated));
    }

    @Override
    public Optional<Trigger> trigger(String namespace, String name) {
        return onDefinitions("read the trigger " + namespace + "/" + name, () -> triggers.trigger(namespace, name));
    }

    @Override
    public List<Trigger> triggers() {
        return onDefinitions("read the triggers", triggers::triggers);
    }

    @Override
    public Optional<Trigger> deleteTrigger(String namespace, String name) {
        return onDefinitions("delete the trigger " + namespace + "/" + name, () -> triggers.delete(namespace, name));
    }

    @Override
    public Rule putRule(String namespace, RuleSpec spec, boolean active, Instant updated) {
        return onDefinitions("store the rule " + namespace + "/" + spec.name(),
                () -> triggers.putRule(namespace, spec, active, updated));
    }

    @Override
    public Optional<Rule> rule(String namespace, String name) {
        return onDefinitions("read the rule " + namespace + "/" + name, () -> triggers.rule(namespace, name));
    }

    @Override
    public List<Rule> rules() {
        return onDefinitions("read the rules", triggers::rules);
    }

    @Override
    public Optional<Rule> deleteRule(String namespace, String name) {
        return onDefinitions("delete the rule " + namespace + "/" + name, () -> triggers.deleteRule(namespace, name));
    }

    @Override
    public Optional<Instant> lastFire(String namespace, String trigger) {
        return onDefinitions("read when " + namespace + "/" + trigger + " last fired",
                () -> triggers.lastFire(namespace, trigger));
    }

    @Override
    public void putLastFire(String namespace, String trigger, Instant due) {
        onDefinitions("store when " + namespace + "/" + trigger + " fired", () -> {
            triggers.putLastFire(namespace, trigger, due);
            return null;
        });
    }

    @Override
    public void putFailure(TriggerFailure failure) {
        onDefinitions("keep the failure " + failure.id(), () -> {
            triggers.putFailure(failure);
            return null;
        });
    }

    @Override
    public List<TriggerFailure> failures(String namespace, String trigger) {
        return onDefinitions("read the failures of " + namespace + "/" + trigger,
                () -> triggers.failures("WHERE namespace = ? AND trigger = ?", namespace, trigger));
    }

    @Override
    public Optional<TriggerFailure> deleteFailure(String namespace, String id) {
        return onDefinitions("delete the failure " + id, () -> triggers.deleteFailure(namespace, id));
    }

    /** One statement or a few, each durable as it ends, on one connection. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws SQLException;
    }

    private <T> T onDefinitions(String what, Call<T> call) {
        return on(definitions, what, call);
    }

    private static <T> T on(Connection c, String what, Call<T> call) {
        synchronized (c) {
            try {
                return call.run();
            } catch (SQLException e) {
                throw failed(what, e);
            }
        }
    }

    /** Work that reads and writes on one connection. */
    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private static void inTransaction(Connection c, String what, Work work) {
        try {
            c.setAutoCommit(false);
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the original failure is the one to report
            }
            throw failed(what, e);
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }

    @Override
    public void close() {
        for (Connection c : List.of(activationReader, activationWriter, definitions)) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to protect
            }
        }
    }

    private static StoreException failed(String what, SQLException e) {
        return new StoreException("the store could not " + what + ": " + e.getMessage(), e);
    }
}
