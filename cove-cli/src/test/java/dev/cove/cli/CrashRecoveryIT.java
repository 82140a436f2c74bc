package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the server, started as ./cove starts it (the shaded jar in its own JVM): every
 * deployment answered before the kill is there after a restart, even one answered a moment before,
 * and activations older than the group-commit window are too.
 */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void nothingDeployedIsLostToKill9() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            put(server, "kept", "function main(p) { return {kept: true}; }");
            String activationId = invoke(server, "kept").path("activationId").asText();
            awaitStored(server, "kept"); // its record past the group commit, as a reader of the file sees it
            put(server, "justdeployed", "function main(p) { return {just: true}; }");
            server.kill(); // SIGKILL, right after the answer

            server.start();
            assertThat(get(server, "/api/v1/namespaces/_/actions/kept").path("version").asText()).isEqualTo("0.0.1");
            assertThat(invoke(server, "kept").path("response").path("result").path("kept").asBoolean()).isTrue();
            assertThat(invoke(server, "justdeployed").path("response").path("result").path("just").asBoolean()).isTrue();
            assertThat(get(server, "/api/v1/namespaces/_/activations/" + activationId).path("name").asText())
                    .isEqualTo("kept");
        }
    }

    @Test
    void invocationsAnswered202RunAfterKill9AndAfterAStop() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            String slow = "function main(p) { return new Promise((r) => setTimeout(() => r({n: p.n}), 1000)); }";
            ObjectNode action = ServerProcess.JSON.createObjectNode();
            action.putObject("exec").put("kind", "nodejs:20").put("code", slow);
            action.putObject("limits").put("maxInstances", 1);
            ServerProcess.json(server.put("/api/v1/namespaces/_/actions/slow", action.toString()), 200);
            List<String> killed = List.of(async(server, "slow", 1), async(server, "slow", 2), async(server, "slow", 3));
            server.kill(); // SIGKILL, right after the answers

            server.start();
            for (int i = 0; i < killed.size(); i++) {
                assertThat(eventually(server, killed.get(i)).path("response").path("result").path("n").asInt())
                        .isEqualTo(i + 1);
            }
            List<String> stopped = List.of(async(server, "slow", 4), async(server, "slow", 5));
            server.stop(); // a clean stop, with both still queued or running

            server.start();
            assertThat(eventually(server, stopped.get(0)).path("response").path("result").path("n").asInt()).isEqualTo(4);
            assertThat(eventually(server, stopped.get(1)).path("response").path("result").path("n").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aWorkflowStartedWithoutWaitingRunsAfterKill9() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            String app = """
                    {"functions": [{"name": "inc", "exec": {"kind": "nodejs:20", "code": "function main(p) { return {n: p.n + 1}; }"}}],
                     "workflow": {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 2, "Next": "Inc"},
                                  "Inc": {"Type": "Task", "Resource": "inc", "End": true}}}}""";
            ServerProcess.json(server.put("/api/v1/namespaces/_/applications/napper", app), 200);
            String id = ServerProcess.json(server.post("/api/v1/namespaces/_/applications/napper/executions",
                    "{\"n\": 41}"), 202).path("executionId").asText();
            server.kill(); // SIGKILL, while it waits

            server.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode execution = get(server, "/api/v1/namespaces/_/executions/" + id);
            while (execution.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                execution = get(server, "/api/v1/namespaces/_/executions/" + id);
            }
            assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(execution.path("output").path("n").asInt()).isEqualTo(42);
        }
    }

    /** Invokes without waiting; answers the activation id of the 202. */
    private static String async(ServerProcess server, String name, int n) throws Exception {
        return ServerProcess.json(server.post("/api/v1/namespaces/_/actions/" + name + "?blocking=false",
                "{\"n\": " + n + "}"), 202).path("activationId").asText();
    }

    /** The activation once it has ended successfully; fails after 30 s. */
    private static JsonNode eventually(ServerProcess server, String activationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var answer = server.get("/api/v1/namespaces/_/activations/" + activationId);
            if (answer.statusCode() == 200 && ServerProcess.JSON.readTree(answer.body()).path("statusCode").asInt(-1) == 0) {
                return ServerProcess.JSON.readTree(answer.body());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the activation " + activationId + " did not succeed within 30 s");
    }

    /** Waits (60 s at most) until the store's file holds a committed activation record of the function. */
    private static void awaitStored(ServerProcess server, String name) throws Exception {
        String file = "jdbc:sqlite:file:" + server.dataDir().resolve("cove.db") + "?mode=ro";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = DriverManager.getConnection(file);
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM activation_functions WHERE name = ?")) {
            q.setString(1, name);
            while (true) {
                try (ResultSet rows = q.executeQuery()) {
                    if (rows.next() && rows.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a stored record of %s", name).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static void put(ServerProcess server, String name, String code) throws Exception {
        ObjectNode body = ServerProcess.JSON.createObjectNode();
        body.putObject("exec").put("kind", "nodejs:20").put("code", code);
        ServerProcess.json(server.put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", body.toString()), 200);
    }

    private static JsonNode invoke(ServerProcess server, String name) throws Exception {
        return ServerProcess.json(server.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{}"), 200);
    }

    private static JsonNode get(ServerProcess server, String path) throws Exception {
        return ServerProcess.json(server.get(path), 200);
    }
}
