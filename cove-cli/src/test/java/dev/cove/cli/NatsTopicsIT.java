package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.bus.nats.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cove up --nats} against a real nats-server: a topic's messages are stored in JetStream before
 * the publisher hears back and fire their triggers from there, so a message the server never got to is
 * fired after a {@code kill -9} and a restart, one published straight to NATS (as Kubeless' publishers
 * do) fires too, and a NATS that goes away is a clear 503 until it is back.
 */
class NatsTopicsIT {
    private static final long WAIT_S = 60;
    private static final String SUBJECT = "cove.topics.guest.k8s_replicas";

    @TempDir
    Path dir;
    NatsServer nats;

    @BeforeEach
    void startNats() throws Exception {
        nats = NatsServer.start(Files.createDirectories(dir.resolve("nats")));
    }

    @AfterEach
    void stopNats() throws Exception {
        nats.close();
    }

    @Test
    void messagesOnNatsFireTheirTriggersAcrossKill9() throws Exception {
        try (ServerProcess server = new ServerProcess(dir, "--nats", nats.url()).start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!Files.readString(server.log()).contains("Ctrl-C stops it.") && System.nanoTime() < deadline) {
                Thread.sleep(50); // the banner follows the config file the start waited for
            }
            assertThat(Files.readString(server.log())).contains("topics    NATS JetStream at " + nats.url());
            subscribe(server);
            JsonNode published = ServerProcess.json(publish(server, "e-1", "{\"name\": \"web\"}"), 202);
            assertThat(published.path("queued").asBoolean()).isTrue();
            assertThat(published.path("eventId").asText()).isEqualTo("e-1");
            assertThat(awaitResults(server, 1)).containsExactly("web");
            assertThat(ServerProcess.json(publish(server, "e-1", "{\"name\": \"web\"}"), 202).path("duplicate")
                    .asBoolean()).as("the stream drops a message published again under its id").isTrue();

            server.kill(); // SIGKILL
            Connection client = Nats.connect(nats.url()); // a publisher of its own, as Kubeless' are
            try {
                client.jetStream().publish(SUBJECT, "{\"name\": \"db\"}".getBytes(StandardCharsets.UTF_8),
                        PublishOptions.builder().messageId("outside-1").build());
            } finally {
                client.close();
            }
            server.start();
            assertThat(awaitResults(server, 2)).containsExactlyInAnyOrder("web", "db");
        }
    }

    @Test
    void aNatsThatGoesAwayIsA503UntilItIsBack() throws Exception {
        try (ServerProcess server = new ServerProcess(dir, "--nats", nats.url()).start()) {
            subscribe(server);
            nats.stop();
            HttpResponse<String> refused = publish(server, "e-2", "{\"name\": \"cache\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(ServerProcess.JSON.readTree(refused.body()).path("error").asText())
                    .startsWith("NATS at " + nats.url() + " did not take the message (");

            nats.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            HttpResponse<String> answer = publish(server, "e-2", "{\"name\": \"cache\"}");
            while (answer.statusCode() == 503 && System.nanoTime() < deadline) { // its reconnection is announced nowhere
                Thread.sleep(100);
                answer = publish(server, "e-2", "{\"name\": \"cache\"}");
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(awaitResults(server, 1)).containsExactly("cache");
        }
    }

    /** The function {@code audit}, fired by trigger {@code replicas} on every message of topic k8s_replicas. */
    private static void subscribe(ServerProcess server) throws Exception {
        ServerProcess.json(server.put("/api/v1/namespaces/_/actions/audit", """
                {"exec": {"kind": "nodejs:20", "code": "function main(p) { return {name: p.name}; }"}}"""), 200);
        ServerProcess.json(server.put("/api/v1/namespaces/_/triggers/replicas", "{\"topic\": \"k8s_replicas\"}"), 200);
        ServerProcess.json(server.put("/api/v1/namespaces/_/rules/log",
                "{\"trigger\": \"replicas\", \"action\": \"audit\"}"), 200);
    }

    private static HttpResponse<String> publish(ServerProcess server, String eventId, String message) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.apiHost() + "/api/v1/namespaces/_/topics/k8s_replicas"))
                .header("X-Event-Id", eventId).POST(HttpRequest.BodyPublishers.ofString(message)));
    }

    /** The names audit's activations returned, once there are {@code count}. */
    private static List<String> awaitResults(ServerProcess server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (true) {
            JsonNode list = ServerProcess.json(server.get("/api/v1/namespaces/_/activations?name=audit&docs=true"), 200);
            List<String> names = new ArrayList<>();
            list.forEach(a -> names.add(a.path("response").path("result").path("name").asText()));
            if (names.size() >= count || System.nanoTime() > deadline) {
                assertThat(names).as("audit's activations").hasSize(count);
                return names;
            }
            Thread.sleep(100); // polling the store, which has no way to say that a record arrived
        }
    }
}
