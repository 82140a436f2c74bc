package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.runtime.Calls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenWhisk's REST API as Cove serves it (docs/rest-api.md), over real HTTP to a real server. */
class RestApiIT {
    static final String ECHO = "function main(p) { return p; }";
    static final String ACTIONS = "/api/v1/namespaces/_/actions/";

    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir).withStemCellsPerRuntime(1)
                .withMaxQueuePerFunction(2));
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    static ObjectNode object() {
        return TestCove.object();
    }

    @Test
    void requestsWithoutTheRightKeyAreRefused() throws Exception {
        HttpRequest.Builder noAuth = HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/api/v1/namespaces"));
        assertThat(cove.send(noAuth.GET()).status()).isEqualTo(401);
        HttpRequest.Builder wrong = HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/api/v1/namespaces"))
                .header("authorization", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()));
        TestCove.Answer answer = cove.send(wrong.GET());
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("error").asText()).isEqualTo("The supplied authentication is invalid.");
        assertThat(answer.json().path("code").asText()).isNotEmpty();
        assertThat(cove.get("/api/v1/namespaces").json()).containsExactly(TestCove.JSON.getNodeFactory().textNode("guest"));
        assertThat(cove.get("/api/v1/namespaces/someoneelse/actions").status()).isEqualTo(403);
    }

    @Test
    void anActionIsCreatedReadListedUpdatedAndDeleted() throws Exception {
        TestCove.Answer created = cove.put(ACTIONS + "crud", deployBody(ECHO));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().path("version").asText()).isEqualTo("0.0.1");
        assertThat(cove.put(ACTIONS + "crud", deployBody(ECHO)).status()).as("no overwrite").isEqualTo(409);

        ObjectNode update = object();
        update.putArray("parameters").addObject().put("key", "who").put("value", "Ada");
        TestCove.Answer updated = cove.put(ACTIONS + "crud?overwrite=true", update);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("version").asText()).isEqualTo("0.0.2");
        assertThat(updated.json().path("exec").path("kind").asText()).as("kept").isEqualTo("nodejs:20");

        JsonNode got = cove.get(ACTIONS + "crud").json();
        assertThat(got.path("exec").path("code").asText()).isEqualTo(ECHO);
        assertThat(got.path("parameters").get(0).path("value").asText()).isEqualTo("Ada");
        assertThat(cove.get(ACTIONS + "crud?code=false").json().path("exec").has("code")).isFalse();
        assertThat(cove.get(ACTIONS).json().findValuesAsText("name")).contains("crud");
        assertThat(cove.invoke("crud", object()).json().path("response").path("result").path("who").asText())
                .isEqualTo("Ada");

        assertThat(cove.delete(ACTIONS + "crud").status()).isEqualTo(200);
        assertThat(cove.get(ACTIONS + "crud").status()).isEqualTo(404);
        assertThat(cove.delete(ACTIONS + "crud").status()).isEqualTo(404);
        assertThat(cove.invoke("crud", object()).status()).isEqualTo(404);
    }

    /** Every query parameter of the API: one that doesn't parse is refused, never taken for its default. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST   | actions/strict?blocking=maybe                | blocking must be true or false, was 'maybe'",
        "POST   | actions/strict?blocking=true&result=1        | result must be true or false, was '1'",
        "POST   | actions/strict?blocking=true&blocking=false  | blocking is given 2 times",
        "POST   | actions/strict?blocking=                     | blocking must be true or false, was ''",
        "PUT    | actions/strict?overwrite=yes                 | overwrite must be true or false, was 'yes'",
        "PUT    | actions/strict-new?overwrite=yes             | overwrite must be true or false, was 'yes'",
        "GET    | actions/strict?code=no                       | code must be true or false, was 'no'",
        "GET    | actions?limit=many                           | limit must be a whole number from 0 to 200, was 'many'",
        "GET    | actions?skip=-1                              | skip must be a whole number from 0 to 2147483647, was '-1'",
        "GET    | activations?since=yesterday                  | since must be milliseconds since the epoch",
        "GET    | activations?upto=-5                          | upto must be milliseconds since the epoch",
        "GET    | activations?limit=201                        | limit must be a whole number from 0 to 200, was '201'",
        "GET    | activations?name=a%20b                       | name must be a name, was 'a b'",
        "GET    | activations?docs=yes                         | docs must be true or false, was 'yes'",
        "GET    | activations/0123456789abcdef0123456789abcdef/chain?docs=yes | docs must be true or false, was 'yes'",
        "POST   | applications/strict/executions?blocking=maybe | blocking must be true or false, was 'maybe'",
        "GET    | executions?limit=0                           | limit must be a whole number from 1 to 200, was '0'",
        "GET    | executions?application=%25                   | application must be a name, was '%'",
        "GET    | cache?function=a%20b                         | function must be a name, was 'a b'",
        "DELETE | cache/strict?scope=everything                | scope must be one of function, app, was 'everything'",
    })
    void aQueryParameterThatDoesNotParseIsRefused(String method, String path, String message) throws Exception {
        cove.put(ACTIONS + "strict?overwrite=true", deployBody(ECHO));
        TestCove.Answer answer = cove.send(cove.request("/api/v1/namespaces/_/" + path)
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("PUT") ? deployBody(ECHO).toString() : "{}")));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith("The query parameter " + message);
        assertThat(cove.get(ACTIONS + "strict-new").status()).as("nothing deployed").isEqualTo(404);
    }

    @Test
    void badDeploymentsAreRefusedWithTheReason() throws Exception {
        ObjectNode unknownKind = object();
        unknownKind.putObject("exec").put("kind", "cobol:85").put("code", "x");
        TestCove.Answer kind = cove.put(ACTIONS + "bad?overwrite=true", unknownKind);
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().path("error").asText()).contains("'cobol:85'").contains("nodejs:20");

        ObjectNode timeout = deployBody(ECHO);
        timeout.putObject("limits").put("timeout", 400_000);
        assertThat(cove.put(ACTIONS + "bad?overwrite=true", timeout).json().path("error").asText())
                .isEqualTo("timeout must be between 1 ms and 300000 ms, was 400000 ms");

        HttpRequest.Builder malformed = cove.request(ACTIONS + "bad?overwrite=true")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"exec\": {\"kind\": \"nodejs:20\",\n  \"code\": 'x'}}"));
        TestCove.Answer notJson = cove.send(malformed);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("error").asText())
                .isEqualTo("The request content was malformed:\nunexpected ''' at line 2, column 11.");
        TestCove.Answer cutShort = cove.send(cove.request(ACTIONS + "bad?blocking=true")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\": [1, 2")));
        assertThat(cutShort.status()).isEqualTo(400);
        assertThat(cutShort.json().path("error").asText()).isEqualTo("The request content was malformed:\nthe JSON "
                + "ends before it is complete (an object, an array or a string is not closed) at line 1, column 12.");
        assertThat(cove.put(ACTIONS + "bad%20name?overwrite=true", deployBody(ECHO)).status()).isEqualTo(400);

        ObjectNode brokenZip = object();
        brokenZip.putObject("exec").put("kind", "nodejs:20").put("binary", true).put("code", "bm90IGEgemlw");
        TestCove.Answer zip = cove.put(ACTIONS + "bad?overwrite=true", brokenZip);
        assertThat(zip.status()).isEqualTo(400);
        assertThat(zip.json().path("error").asText()).contains("zip");
        assertThat(cove.get(ACTIONS + "bad").status()).isEqualTo(404);
    }

    @Test
    void javaCodeThatWouldEndThePlatformRunsInItsOwnJvmAndIsRefusedInline() throws Exception {
        String exits = "import java.util.Map; public class Quit { public static Map<String, Object> main(Map<String, Object> p) {"
                + " System.exit(1); return p; } }";
        ObjectNode inline = object();
        inline.putObject("exec").put("kind", "java:21").put("code", exits).put("tier", "inline");
        TestCove.Answer refused = cove.put(ACTIONS + "quit?overwrite=true", inline);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText())
                .startsWith("the function can't run in the inline tier: Quit.main calls java.lang.System.exit");
        assertThat(cove.get(ACTIONS + "quit").status()).isEqualTo(404);

        TestCove.Answer deployed = cove.deploy("quit", "java:21", exits, object());
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(deployed.json().path("exec").path("tier").asText()).isEqualTo("auto");
        assertThat(deployed.json().path("tier").path("runs").asText()).isEqualTo("process");
        assertThat(deployed.json().path("tier").path("reason").asText()).isEqualTo("Quit.main calls java.lang.System.exit");
        assertThat(cove.get(ACTIONS + "quit").json().path("tier")).isEqualTo(deployed.json().path("tier"));
    }

    @Test
    void onlyJavaFunctionsChooseATier() throws Exception {
        ObjectNode body = deployBody(ECHO);
        ((ObjectNode) body.path("exec")).put("tier", "inline");
        TestCove.Answer answer = cove.put(ACTIONS + "tiered?overwrite=true", body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains("only Java functions choose their tier");
        ((ObjectNode) body.path("exec")).put("tier", "sometimes");
        assertThat(cove.put(ACTIONS + "tiered?overwrite=true", body).json().path("error").asText())
                .isEqualTo("exec.tier must be auto, inline or process, was 'sometimes'");
    }

    @Test
    void asyncInvocationsAnswerAnIdWhoseActivationCanBeRead() throws Exception {
        cove.put(ACTIONS + "asyncecho?overwrite=true", deployBody("function main(p) { console.log('got', p.n); return p; }"));
        TestCove.Answer accepted = cove.post(ACTIONS + "asyncecho", object().put("n", 7));
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("activationId").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(accepted.header("x-openwhisk-activation-id")).isEqualTo(id);

        JsonNode activation = awaitActivation(id);
        assertThat(activation.path("name").asText()).isEqualTo("asyncecho");
        assertThat(activation.path("response").path("result").path("n").asInt()).isEqualTo(7);
        assertThat(activation.path("duration").asLong())
                .isEqualTo(activation.path("end").asLong() - activation.path("start").asLong());
        assertThat(cove.get("/api/v1/namespaces/_/activations/" + id + "/result").json().path("result").path("n")
                .asInt()).isEqualTo(7);
        assertThat(cove.get("/api/v1/namespaces/_/activations/" + id + "/logs").json().path("logs").get(0).asText())
                .endsWith("stdout: got 7");
        assertThat(cove.get("/api/v1/namespaces/_/activations/" + "0".repeat(32)).status()).isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/_/activations/nothex").status()).isEqualTo(400);
    }

    @Test
    void blockingWithResultAnswersJustTheResult() throws Exception {
        cove.put(ACTIONS + "resultonly?overwrite=true", deployBody(ECHO));
        TestCove.Answer answer = cove.post(ACTIONS + "resultonly?blocking=true&result=true", object().put("x", 1));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(object().put("x", 1));
        assertThat(answer.header("x-openwhisk-activation-id")).matches("[0-9a-f]{32}");
    }

    @Test
    void activationsAreListedNewestFirstAndFilteredByName() throws Exception {
        cove.put(ACTIONS + "listed-a?overwrite=true", deployBody(ECHO));
        cove.put(ACTIONS + "listed-b?overwrite=true", deployBody(ECHO));
        List<String> ids = new ArrayList<>();
        for (String name : List.of("listed-a", "listed-b", "listed-a")) {
            ids.add(cove.invoke(name, object()).json().path("activationId").asText());
            Thread.sleep(5); // distinct start times
        }
        JsonNode onlyA = cove.get("/api/v1/namespaces/_/activations?name=listed-a").json();
        assertThat(onlyA.findValuesAsText("activationId")).containsExactly(ids.get(2), ids.get(0));
        assertThat(onlyA.get(0).has("logs")).as("no docs").isFalse();
        JsonNode withDocs = cove.get("/api/v1/namespaces/_/activations?name=listed-a&docs=true&limit=1").json();
        assertThat(withDocs).hasSize(1);
        assertThat(withDocs.get(0).path("response").has("result")).isTrue();
        long since = onlyA.get(0).path("start").asLong();
        assertThat(cove.get("/api/v1/namespaces/_/activations?name=listed-a&since=" + since).json()).hasSize(1);
        assertThat(cove.get("/api/v1/namespaces/_/activations?limit=500").status()).isEqualTo(400);
    }

    @Test
    void activationsArePagedPastTheFirstPage() throws Exception {
        String code = "import java.util.Map; public class Paged {"
                + " public static Map<String, Object> main(Map<String, Object> p) { return p; } }";
        cove.deploy("paged", "java:21", code, object());
        int count = ActivationQuery.MAX_LIMIT + 30;
        for (int i = 0; i < count; i++) {
            assertThat(cove.invoke("paged", object()).status()).isEqualTo(200);
        }
        List<String> seen = new ArrayList<>();
        for (int skip = 0; skip < count + ActivationQuery.MAX_LIMIT; skip += ActivationQuery.MAX_LIMIT) {
            JsonNode page = cove.get("/api/v1/namespaces/_/activations?name=paged&limit=" + ActivationQuery.MAX_LIMIT
                    + "&skip=" + skip).json();
            seen.addAll(page.findValuesAsText("activationId"));
        }
        assertThat(seen).hasSize(count).doesNotHaveDuplicates();
    }

    @Test
    void aFunctionCallingItselfStopsAtTheDepthLimit() throws Exception {
        ObjectNode body = deployBody("""
                async function main(p, ctx) {
                  const n = p.n || 1;
                  try { return await ctx.invoke('recurse', {n: n + 1}); } catch (e) { return {n, refused: e.message}; }
                }""");
        body.putObject("limits").put("concurrency", 2 * Calls.MAX_CALL_DEPTH);
        cove.put(ACTIONS + "recurse?overwrite=true", body);

        JsonNode deepest = cove.post(ACTIONS + "recurse?blocking=true&result=true", object()).json();

        assertThat(deepest.path("n").asInt()).as(deepest.toString()).isEqualTo(Calls.MAX_CALL_DEPTH);
        assertThat(deepest.path("refused").asText()).contains("over the limit of " + Calls.MAX_CALL_DEPTH);
    }

    @Test
    void aFunctionSendingToItselfStopsAtTheDepthLimit() throws Exception {
        cove.put(ACTIONS + "resend?overwrite=true", deployBody("""
                async function main(p, ctx) {
                  const n = p.n || 1;
                  try { await ctx.send('resend', {n: n + 1}); return {n}; } catch (e) { return {n, refused: e.message}; }
                }"""));

        cove.post(ACTIONS + "resend", object());

        String listed = "/api/v1/namespaces/_/activations?name=resend&docs=true&limit=200";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode records = cove.get(listed).json();
        while (records.size() < Calls.MAX_CALL_DEPTH && System.nanoTime() < deadline) {
            Thread.sleep(100);
            records = cove.get(listed).json();
        }
        Thread.sleep(500); // a chain that went on would show more by now
        records = cove.get(listed).json();
        assertThat(records).hasSize(Calls.MAX_CALL_DEPTH);
        assertThat(records.get(0).path("response").path("result").path("refused").asText())
                .contains("over the limit of " + Calls.MAX_CALL_DEPTH);
    }

    @Test
    void aFullQueueAnswers429() throws Exception {
        ObjectNode body = deployBody("function main(p) { return new Promise(r => setTimeout(() => r({}), 1500)); }");
        body.putObject("limits").put("maxInstances", 1).put("concurrency", 1);
        cove.put(ACTIONS + "busy?overwrite=true", body);
        assertThat(cove.invoke("busy", object()).status()).as("warm: its one instance is up").isEqualTo(200);
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 6).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                return cove.post(ACTIONS + "busy", object()).status();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        // one runs, two wait (the queue holds 2 here), the rest are refused
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(3);
        TestCove.Answer refused = cove.post(ACTIONS + "busy", object());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").asText()).contains("busy").contains("waiting");
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
    }

    @Test
    void webRoutesPassTheRequestAndShapeTheResponse() throws Exception {
        cove.put(ACTIONS + "web?overwrite=true", deployBody("""
                function main(p) {
                  if (p.__ow_path === '/png') return {headers: {'content-type': 'image/png'}, body: 'iVBORw0KGgo='};
                  if (p.fail) return {error: 'failed on purpose'};
                  return {statusCode: 201, headers: {'x-seen': p.__ow_method + ' ' + p.__ow_path},
                          body: {name: p.name, q: p.__ow_query, agent: p.__ow_headers['x-test']}};
                }"""));
        TestCove.Answer get = cove.send(HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/fn/web/a/b?name=Ada"))
                .header("x-test", "yes").GET());
        assertThat(get.status()).isEqualTo(201);
        assertThat(get.header("x-seen")).isEqualTo("get /a/b");
        assertThat(get.json()).isEqualTo(object().put("name", "Ada").put("q", "name=Ada").put("agent", "yes"));

        TestCove.Answer post = cove.send(HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/fn/web"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bo\"}")));
        assertThat(post.json().path("name").asText()).isEqualTo("Bo");

        var png = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/fn/web/png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("content-type")).contains("image/png");
        assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');

        TestCove.Answer failed = cove.send(HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/fn/web?fail=1")).GET());
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().path("error").asText()).isEqualTo("failed on purpose");

        assertThat(cove.send(HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/fn/nothere")).GET()).status())
                .isEqualTo(404);
        TestCove.Answer owRoute = cove.send(HttpRequest.newBuilder(
                URI.create(cove.server.apiHost() + "/api/v1/web/guest/default/web/x?name=Cy")).GET());
        assertThat(owRoute.json().path("name").asText()).isEqualTo("Cy");
    }

    @Test
    void metricsCountInvocationsByFunctionAndStatus() throws Exception {
        cove.put(ACTIONS + "metered?overwrite=true", deployBody(ECHO));
        cove.invoke("metered", object());
        cove.invoke("metered", object());
        String metrics = cove.send(HttpRequest.newBuilder(URI.create(cove.server.apiHost() + "/metrics")).GET())
                .raw().body();
        assertThat(metrics)
                .contains("cove_invocations_total{function=\"metered\",namespace=\"guest\",status=\"success\"} 2.0")
                .contains("cove_activation_duration_seconds_bucket{function=\"metered\"")
                .contains("cove_activation_wait_seconds_count{function=\"metered\"")
                .contains("cove_cold_starts_total{runtime=\"nodejs:20\"}")
                .contains("cove_warm_instances{runtime=\"nodejs:20\"}")
                .contains("cove_stem_cells{runtime=\"python:3\"}");
    }

    @Test
    void theRootDescribesTheRuntimes() throws Exception {
        JsonNode info = cove.get("/").json();
        assertThat(info.path("runtimes").path("nodejs").get(0).path("kind").asText()).isEqualTo("nodejs:20");
        assertThat(info.path("runtimes").has("java")).isTrue();
        assertThat(cove.get("/nothing/here").status()).isEqualTo(404);
    }

    static ObjectNode deployBody(String code) {
        ObjectNode body = object();
        body.putObject("exec").put("kind", "nodejs:20").put("code", code);
        return body;
    }

    static JsonNode awaitActivation(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            TestCove.Answer answer = cove.get("/api/v1/namespaces/_/activations/" + id);
            if (answer.status() == 200) {
                return answer.json();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("activation " + id + " never appeared");
    }
}
