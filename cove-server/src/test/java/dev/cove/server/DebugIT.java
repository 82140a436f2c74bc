package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        return open("/api/v1/namespaces/_/activations/" + activationId + "/debug" + query, session);
    }

    private WebSocket open(String path, Session session) throws Exception {
        URI uri = URI.create(cove.server.apiHost().replaceFirst("^http", "ws") + path);
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
        TestCove.Answer plain = cove.get("/api/v1/namespaces/_/activations/" + id + "/debug");
        assertThat(plain.status()).as("a request that is no WebSocket's").isEqualTo(400);
        assertThat(plain.json().path("error").asText()).contains("WebSocket");

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
    void aShellOpensBesideALiveInstanceAndEverySessionIsRemembered() throws Exception {
        assertThat(cove.deploy("live", "nodejs:20", "function main() { return {}; }", TestCove.object()).status())
                .isEqualTo(200);
        TestCove.Answer none = cove.get("/api/v1/namespaces/_/actions/live/debug");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error").asText()).startsWith("There is no instance of live started");
        assertThat(cove.invoke("live", TestCove.object()).status()).isEqualTo(200);

        Session session = new Session();
        WebSocket ws = open("/api/v1/namespaces/_/actions/live/debug", session);
        type(ws, "ps -o args; exit 4\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(4);
        assertThat(session.screen()).contains("/cove/runtimes/node/worker.js");

        JsonNode sessions = sessionsOnceTheLastClosed();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).path("target").asText()).isEqualTo("function live");
        assertThat(sessions.get(0).path("exit").asInt()).isEqualTo(4);
        assertThat(sessions.get(0).path("key").asText()).isEqualTo(cove.server.guestAuth().split(":")[0]);
        assertThat(sessions.get(0).path("durationMs").asLong()).isNotNegative();
    }

    /** The namespace's sessions, once the most recent one is listed closed. */
    private JsonNode sessionsOnceTheLastClosed() throws Exception {
        JsonNode sessions = cove.get("/api/v1/namespaces/_/debug/sessions").json();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!sessions.path(0).has("closed") && System.nanoTime() < deadline) {
            Thread.sleep(20); // the server hears of the close after the client sent it
            sessions = cove.get("/api/v1/namespaces/_/debug/sessions").json();
        }
        assertThat(sessions.path(0).has("closed")).as("sessions %s", sessions).isTrue();
        return sessions;
    }

    /** A session ended before the stop is listed after it as before; one the stop cut short, without a close. */
    @Test
    void theRecordOfSessionsOutlivesARestart() throws Exception {
        assertThat(cove.deploy("failing", "nodejs:20", FAILING, TestCove.object()).status()).isEqualTo(200);
        String id = cove.invoke("failing", TestCove.object().put("who", "the audit")).json().path("activationId").asText();
        Session ended = new Session();
        WebSocket ws = connect(id, "", ended);
        type(ws, "exit 7\n");
        assertThat(ended.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(7);
        JsonNode before = sessionsOnceTheLastClosed();
        assertThat(cove.deploy("live", "nodejs:20", "function main() { return {}; }", TestCove.object()).status())
                .isEqualTo(200);
        assertThat(cove.invoke("live", TestCove.object()).status()).isEqualTo(200);
        Session cut = new Session();
        type(open("/api/v1/namespaces/_/actions/live/debug", cut), "echo marker-$((3+4))\n");
        cut.await(s -> s.contains("marker-7"));

        cove.close();
        cove = new TestCove(dir);

        JsonNode after = cove.get("/api/v1/namespaces/_/debug/sessions").json();
        assertThat(after).hasSize(2);
        assertThat(after.get(1)).isEqualTo(before.get(0));
        assertThat(after.get(1).path("target").asText()).isEqualTo("activation " + id);
        assertThat(after.get(1).path("exit").asInt()).isEqualTo(7);
        assertThat(after.get(1).path("durationMs").asLong())
                .isEqualTo(after.get(1).path("closed").asLong() - after.get(1).path("opened").asLong())
                .isNotNegative();
        assertThat(after.get(0).path("target").asText()).isEqualTo("function live");
        assertThat(after.get(0).has("opened")).isTrue();
        assertThat(after.get(0).has("closed") || after.get(0).has("durationMs") || after.get(0).has("exit"))
                .as("a session the stop cut short: %s", after.get(0)).isFalse();
    }

    /** A process-tier Java function's failure is kept as a node or python one's is. */
    @Test
    void aProcessTierJavaFailureOpensTheSameShell() throws Exception {
        String code = """
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.util.Map;
                public class Fail {
                    public static Map<String, Object> main(Map<String, Object> p) throws Exception {
                        Files.writeString(Path.of("/tmp/clue"), "java was here");
                        throw new IllegalStateException("boom");
                    }
                }
                """;
        ObjectNode extra = TestCove.object();
        extra.putObject("exec").put("tier", "process");
        assertThat(cove.deploy("javafail", "java:21", code, extra).status()).isEqualTo(200);
        TestCove.Answer failed = cove.invoke("javafail", TestCove.object());
        assertThat(failed.status()).as(failed.raw().body()).isEqualTo(502);

        Session session = new Session();
        WebSocket ws = connect(failed.json().path("activationId").asText(), "", session);
        type(ws, "cat /tmp/clue; echo; ps -o args; exit 6\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(6);
        assertThat(session.screen()).contains("java was here").contains("java");
    }

    /** A worker that crashed, alone in its sandbox, leaves it kept as the crash left it: its /tmp is there. */
    @Test
    void aCrashedWorkersSandboxIsKept() throws Exception {
        assertThat(cove.deploy("crasher", "python:3", "import os\n\ndef main(args):\n"
                + "    open('/tmp/clue', 'w').write('before the crash')\n    os._exit(3)\n", TestCove.object()).status())
                .isEqualTo(200);
        TestCove.Answer crashed = cove.invoke("crasher", TestCove.object());
        assertThat(crashed.status()).isEqualTo(502);
        assertThat(crashed.json().path("response").path("result").path("error").asText()).contains("status 3");

        Session session = new Session();
        WebSocket ws = connect(crashed.json().path("activationId").asText(), "", session);
        type(ws, "cat /tmp/clue; echo; ps -o args; exit 8\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt())
                .as("the shell ended with %s, its terminal showed:%n%s", session.ended.getNow(null), session.screen())
                .isEqualTo(8);
        assertThat(session.screen()).contains("before the crash").doesNotContain("worker.py");
        assertThat(cove.invoke("crasher", TestCove.object()).status()).as("the next call, in a new sandbox").isEqualTo(502);
    }

    /** A timed-out loop is kept where it stood: its worker is there, frozen, taking no CPU. */
    @Test
    void aTimedOutLoopIsKeptFrozen() throws Exception {
        assertThat(cove.deploy("loop", "nodejs:20", "function main() { while (true) {} }",
                TestCove.limits("{\"timeout\": 1000}")).status()).isEqualTo(200);
        TestCove.Answer timedOut = cove.invoke("loop", TestCove.object());
        assertThat(timedOut.status()).isEqualTo(408);

        Session session = new Session();
        WebSocket ws = connect(timedOut.json().path("activationId").asText(), "", session);
        // the worker's CPU ticks over a second, measured from inside the sandbox
        type(ws, "p=$(pidof node); a=$(cut -d' ' -f14 /proc/$p/stat); sleep 1; b=$(cut -d' ' -f14 /proc/$p/stat);"
                + " echo ticks=$((b-a))-pid$p; exit\n");
        assertThat(session.await(s -> s.matches("(?s).*ticks=\\d+-pid\\d.*")).replaceAll("(?s).*ticks=(\\d+)-pid\\d.*", "$1"))
                .as("CPU ticks of the frozen loop in a second").isEqualTo("0");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isZero();
    }

    /**
     * A function that fails at every call, called over and over: at most --debug-keep (3) of its
     * instances are kept, the older ones end, and the server's processes stay as many.
     */
    @Test
    void aFunctionFailingOverAndOverKeepsNoMoreThanItsCount() throws Exception {
        assertThat(cove.deploy("failing", "nodejs:20", FAILING, TestCove.object()).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            cove.invoke("failing", TestCove.object().put("who", "warming"));
        }
        long before = ProcessHandle.current().descendants().count();
        for (int i = 0; i < 100; i++) {
            assertThat(cove.invoke("failing", TestCove.object().put("who", "call " + i)).status()).isEqualTo(502);
        }
        String metrics = cove.get("/metrics").raw().body();
        assertThat(metrics).containsPattern("cove_debug_kept \\d");
        assertThat(Double.parseDouble(metrics.replaceAll("(?s).*cove_debug_kept (\\S+).*", "$1"))).isEqualTo(3.0);
        // the workers let go end a moment after their kill
        Attacks.awaitTrue(() -> ProcessHandle.current().descendants().count() <= before + 2, WAIT,
                "the server's processes at most 2 more than the " + before + " before the 100 failures");
    }

    /** Deploys thrower, which fails naming its parameter who, and answers the id of its failure for {@code who}. */
    private String throwerFailedFor(String who) throws Exception {
        assertThat(cove.deploy("thrower", "nodejs:20", "function main(p) { throw new Error('failed for ' + p.who); }",
                TestCove.object()).status()).isEqualTo(200);
        return cove.invoke("thrower", TestCove.object().put("who", who)).json().path("activationId").asText();
    }

    /** Deploys thrower again, now answering {fixed: who}. */
    private void fixThrower() throws Exception {
        assertThat(cove.deploy("thrower", "nodejs:20", "function main(p) { return {fixed: p.who}; }", TestCove.object())
                .status()).isEqualTo(200);
    }

    private TestCove.Answer replay(String activationId, String query) throws Exception {
        return cove.post("/api/v1/namespaces/_/activations/" + activationId + "/replay" + query, TestCove.object());
    }

    /** The annotation of an activation that runs {@code activationId} again, as its JSON shows it. */
    private static String replayOf(String activationId) {
        return "{\"key\":\"replayOf\",\"value\":\"" + activationId + "\"}";
    }

    @Test
    void aFailureRunsAgainWithItsParametersOnItsVersionOrTheLatest() throws Exception {
        String failed = throwerFailedFor("the first");

        TestCove.Answer replayed = replay(failed, "?blocking=true");
        assertThat(replayed.status()).isEqualTo(502);
        assertThat(replayed.json().path("response").path("result").path("error").asText()).contains("failed for the first");
        String again = replayed.json().path("activationId").asText();
        assertThat(again).isNotEqualTo(failed);
        long deadline = System.nanoTime() + WAIT.toNanos();
        TestCove.Answer stored = cove.get("/api/v1/namespaces/_/activations/" + again);
        while (stored.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20); // records are written a moment after the activation answers
            stored = cove.get("/api/v1/namespaces/_/activations/" + again);
        }
        assertThat(stored.json().path("annotations").toString()).contains(replayOf(failed));

        fixThrower();
        TestCove.Answer onItsVersion = replay(failed, "?blocking=true");
        assertThat(onItsVersion.status()).as("the version it ran on, deployed over since").isEqualTo(502);
        assertThat(onItsVersion.json().path("response").path("result").path("error").asText())
                .contains("failed for the first");
        assertThat(cove.invoke("thrower", TestCove.object().put("who", "now")).json().path("response").path("result")
                .path("fixed").asText()).as("the current version, beside it").isEqualTo("now");
        TestCove.Answer latest = replay(failed, "?blocking=true&latest=true");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().path("response").path("result").path("fixed").asText()).isEqualTo("the first");

        String succeeded = latest.json().path("activationId").asText();
        TestCove.Answer success = replay(succeeded, "");
        assertThat(success.status()).isEqualTo(404);
        assertThat(success.json().path("error").asText()).contains("can't run again");
    }

    /**
     * A failure runs again after a restart with the parameters it had, from the store; once its function
     * is deployed again, the store no longer has the code it ran on: refused, saying so, unless latest.
     */
    @Test
    void aFailureRunsAgainAfterARestartOnItsVersionWhileItIsTheCurrentOne() throws Exception {
        String failed = throwerFailedFor("yesterday");

        cove.close();
        cove = new TestCove(dir);

        TestCove.Answer replayed = replay(failed, "?blocking=true");
        assertThat(replayed.status()).as(replayed.raw().body()).isEqualTo(502);
        assertThat(replayed.json().path("response").path("result").path("error").asText()).contains("failed for yesterday");
        assertThat(replayed.json().path("annotations").toString()).contains(replayOf(failed));
        String before = cove.invoke("thrower", TestCove.object().put("who", "the day before")).json()
                .path("activationId").asText();
        fixThrower();

        cove.close();
        cove = new TestCove(dir);

        TestCove.Answer refused = replay(before, "?blocking=true");
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
        assertThat(refused.json().path("error").asText()).contains("ran on version 0.0.1")
                .contains("since 0.0.2 was deployed").contains("--latest");
        TestCove.Answer latest = replay(before, "?blocking=true&latest=true");
        assertThat(latest.status()).as(latest.raw().body()).isEqualTo(200);
        assertThat(latest.json().path("response").path("result").path("fixed").asText()).isEqualTo("the day before");
        assertThat(latest.json().path("annotations").toString()).contains(replayOf(before));
    }

    /** An application error's sandbox is not kept unless asked; a replay with debug=true keeps it. */
    @Test
    void aReplayWithDebugKeepsWhatWasNotKept() throws Exception {
        assertThat(cove.deploy("raiser", "python:3", "def main(args):\n    open('/tmp/clue', 'w').write('again')\n"
                + "    raise ValueError('no')\n", TestCove.object()).status()).isEqualTo(200);
        String failed = cove.invoke("raiser", TestCove.object()).json().path("activationId").asText();
        assertThat(cove.get("/api/v1/namespaces/_/activations/" + failed + "/debug").status()).as("not kept").isEqualTo(404);

        TestCove.Answer replayed = cove.post("/api/v1/namespaces/_/activations/" + failed
                + "/replay?blocking=true&debug=true", TestCove.object());
        assertThat(replayed.status()).isEqualTo(502);
        Session session = new Session();
        WebSocket ws = connect(replayed.json().path("activationId").asText(), "", session);
        type(ws, "cat /tmp/clue; echo; exit 5\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(5);
        assertThat(session.screen()).contains("again");
    }

    /**
     * An inline Java function's failure leaves no sandbox: the refusal says how to get one, and its
     * replay runs in the process tier, where a debugger opens a shell.
     */
    @Test
    void anInlineJavaFailureIsReplayedInTheProcessTierToBeDebugged() throws Exception {
        String code = """
                import java.util.Map;
                public class Inline {
                    public static Map<String, Object> main(Map<String, Object> p) {
                        throw new IllegalStateException("inline boom for " + p.get("who"));
                    }
                }
                """;
        assertThat(cove.deploy("inlinefail", "java:21", code, TestCove.object()).status()).isEqualTo(200);
        TestCove.Answer failed = cove.invoke("inlinefail", TestCove.object().put("who", "ada"));
        assertThat(failed.status()).as(failed.raw().body()).isEqualTo(502);
        assertThat(failed.json().path("annotations").toString()).contains("\"inline\"");
        String id = failed.json().path("activationId").asText();
        TestCove.Answer noSandbox = cove.get("/api/v1/namespaces/_/activations/" + id + "/debug");
        assertThat(noSandbox.status()).isEqualTo(404);
        assertThat(noSandbox.json().path("error").asText()).contains("ran inline").contains("cove replay " + id + " --debug");

        TestCove.Answer replayed = cove.post("/api/v1/namespaces/_/activations/" + id + "/replay?blocking=true&debug=true",
                TestCove.object());
        assertThat(replayed.status()).as(replayed.raw().body()).isEqualTo(502);
        assertThat(replayed.json().path("response").path("result").path("error").asText()).contains("inline boom for ada");
        assertThat(replayed.json().path("annotations").toString()).contains("\"process\"");
        Session session = new Session();
        WebSocket ws = connect(replayed.json().path("activationId").asText(), "", session);
        type(ws, "ps -o args; exit 7\n");
        assertThat(session.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("exit").asInt()).isEqualTo(7);
        assertThat(session.screen()).contains("java");
        assertThat(cove.invoke("inlinefail", TestCove.object().put("who", "grace")).json().path("annotations").toString())
                .as("the function itself still runs inline").contains("\"inline\"");
    }

    /** A function deployed with debugging off keeps no failure nor its parameters, and opens no shell, whoever asks. */
    @Test
    void aFunctionWithDebugOffOpensNoShell() throws Exception {
        assertThat(cove.deploy("secret", "nodejs:20", FAILING, TestCove.limits("{\"debug\": false}")).status())
                .isEqualTo(200);
        assertThat(cove.get("/api/v1/namespaces/_/actions/secret").json().path("limits").path("debug").asBoolean())
                .isFalse();
        TestCove.Answer failed = cove.invoke("secret", TestCove.object().put("who", "someone"));
        assertThat(failed.status()).isEqualTo(502);
        String id = failed.json().path("activationId").asText();
        String metrics = cove.get("/metrics").raw().body();
        assertThat(metrics).contains("cove_debug_kept 0.0");
        TestCove.Answer refused = cove.get("/api/v1/namespaces/_/activations/" + id + "/debug");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).contains("secret is deployed with --debug off");
        assertThat(cove.get("/api/v1/namespaces/_/actions/secret/debug").status()).isEqualTo(403);
        assertThat(cove.post("/api/v1/namespaces/_/activations/" + id + "/replay?debug=true", TestCove.object()).status())
                .isEqualTo(403);
        TestCove.Answer notKept = replay(id, "");
        assertThat(notKept.status()).isEqualTo(404);
        assertThat(notKept.json().path("error").asText()).contains("secret was deployed with --debug off");
        TestCove.Answer badValue = cove.deploy("secret", "nodejs:20", FAILING, TestCove.limits("{\"debug\": \"no\"}"));
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.json().path("error").asText()).contains("limits.debug must be true or false");
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
