package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed activation's sandbox, kept as the failure left it, and a shell in it over the REST API's
 * WebSocket: a real server, real sandboxes, the toolbox's busybox.
 */
class DebugIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Leaves a clue in /tmp, then throws: a developer error, whose instance is kept. */
    private static final String FAILING = """
            function main(p) {
              require('fs').writeFileSync('/tmp/clue', 'left by ' + p.who);
              throw new Error('boom');
            }
            """;

    @TempDir
    Path dir;
    TestCove cove;

    @BeforeEach
    void start() throws Exception {
        cove = new TestCove(dir);
    }

    @AfterEach
    void stop() {
        cove.close();
    }

    /** The terminal's bytes and the control frames of one WebSocket session. */
    private static final class Session implements WebSocket.Listener {
        final StringBuilder screen = new StringBuilder();
        final CompletableFuture<JsonNode> ended = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            synchronized (screen) {
                screen.append(new String(bytes, StandardCharsets.UTF_8));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            try {
                ended.complete(TestCove.JSON.readTree(data.toString()));
            } catch (Exception e) {
                ended.completeExceptionally(e);
            }
            ws.request(1);
            return null;
        }

        String screen() {
            synchronized (screen) {
                return screen.toString();
            }
        }

        /** The screen once it shows what is wanted: its frames announce nothing else. */
        String await(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!wanted.test(screen()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(wanted.test(screen())).as("the terminal showed:%n%s", screen()).isTrue();
            return screen();
        }
    }

    private WebSocket connect(String activationId, String query, Session session) throws Exception {
        URI uri = URI.create(cove.server.apiHost().replaceFirst("^http", "ws") + "/api/v1/namespaces/_/activations/"
                + activationId + "/debug" + query);
        String auth = "Basic " + Base64.getEncoder().encodeToString(cove.server.guestAuth().getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", auth)
                .buildAsync(uri, session).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void type(WebSocket ws, String keys) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aFailedActivationsSandboxIsKeptAndAShellOpensInIt() throws Exception {
        assertThat(cove.deploy("failing", "nodejs:20", FAILING, TestCove.object()).status()).isEqualTo(200);
        TestCove.Answer failed = cove.invoke("failing", TestCove.object().put("who", "the failure"));
        assertThat(failed.status()).isEqualTo(502);
        String id = failed.json().path("activationId").asText();

        Session session = new Session();
        WebSocket ws = connect(id, "?rows=30&columns=90", session);
        type(ws, "cat /tmp/clue; echo; stty size; pwd; ps -o user,args; echo marker-$((2+3))\n");
        String seen = session.await(s -> s.contains("marker-5"));
        assertThat(seen).contains("left by the failure").contains("30 90").contains("/code")
                .contains("node").doesNotContain("java").doesNotContain("bwrap");

        ws.sendText("{\"resize\": {\"rows\": 50, \"columns\": 120}}", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        type(ws, "stty size\n");
        session.await(s -> s.contains("50 120"));

        type(ws, "exit 3\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(3);

        TestCove.Answer next = cove.invoke("failing", TestCove.object().put("who", "the next"));
        assertThat(next.json().path("annotations").toString()).as("a new instance, the kept one out of service")
                .contains("initTime");
    }

    @Test
    void onlyAKeptFailureOfTheKeysNamespaceOpens() throws Exception {
        assertThat(cove.deploy("fine", "nodejs:20", "function main() { return {}; }", TestCove.object()).status())
                .isEqualTo(200);
        String succeeded = cove.invoke("fine", TestCove.object()).json().path("activationId").asText();
        TestCove.Answer notKept = cove.get("/api/v1/namespaces/_/activations/" + succeeded + "/debug");
        assertThat(notKept.status()).isEqualTo(404);
        assertThat(notKept.json().path("error").asText()).startsWith("No sandbox is kept for activation " + succeeded);
        assertThat(cove.get("/api/v1/namespaces/_/activations/0123456789abcdef0123456789abcdef/debug").status())
                .isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/someoneelse/activations/" + succeeded + "/debug").status())
                .isEqualTo(403);
    }
}
