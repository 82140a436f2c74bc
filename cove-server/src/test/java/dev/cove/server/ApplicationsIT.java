package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Applications over the REST API: deployed all or nothing, as one version, deleted as one, sharing a cache. */
class ApplicationsIT {
    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dir);
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    static ObjectNode function(String name, String kind, String code) {
        ObjectNode f = TestCove.object().put("name", name);
        f.putObject("exec").put("kind", kind).put("code", code);
        return f;
    }

    static ObjectNode app(ObjectNode... functions) {
        ObjectNode body = TestCove.object();
        ArrayNode list = body.putArray("functions");
        for (ObjectNode f : functions) {
            list.add(f);
        }
        return body;
    }

    static final String ECHO_JS = "function main(p) { return p; }";
    static final String ECHO_PY = "def main(a):\n    return a\n";
    static final String TWICE_JAVA = """
            import java.util.Map;
            public class Twice {
                public static Map<String, Object> main(Map<String, Object> p) {
                    return Map.of("twice", ((Number) p.get("n")).intValue() * 2);
                }
            }
            """;

    @Test
    void anApplicationIsDeployedAsOneVersionAndRedeployedWithoutWhatItDropped() throws Exception {
        TestCove.Answer first = cove.put("/api/v1/namespaces/_/applications/one", app(function("one-a", "nodejs:default", ECHO_JS),
                function("one-b", "python:default", ECHO_PY), function("Twice", "java:default", TWICE_JAVA)));
        assertThat(first.status()).as(first.json().toString()).isEqualTo(200);
        assertThat(first.json().path("version").asText()).isEqualTo("0.0.1");
        assertThat(first.json().path("functions")).extracting(f -> f.path("application").asText())
                .containsOnly("one");
        assertThat(cove.invoke("Twice", TestCove.object().put("n", 21)).json().path("response").path("result")
                .path("twice").asInt()).isEqualTo(42);

        TestCove.Answer second = cove.put("/api/v1/namespaces/_/applications/one",
                app(function("one-a", "nodejs:default", "function main() { return {v: 2}; }")));
        assertThat(second.json().path("version").asText()).isEqualTo("0.0.2");
        assertThat(cove.get("/api/v1/namespaces/_/actions/one-b").status()).isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/_/actions/Twice").status()).isEqualTo(404);
        assertThat(cove.invoke("one-a", TestCove.object()).json().path("response").path("result").path("v").asInt())
                .isEqualTo(2);
        JsonNode list = cove.get("/api/v1/namespaces/_/applications").json();
        assertThat(list).anySatisfy(a -> {
            assertThat(a.path("name").asText()).isEqualTo("one");
            assertThat(a.path("functions")).extracting(JsonNode::asText).containsExactly("one-a");
        });
    }

    @Test
    void aFunctionThatCantBeBuiltKeepsTheWholeApplicationOut() throws Exception {
        assertThat(cove.put("/api/v1/namespaces/_/applications/two", app(function("two-a", "nodejs:default", ECHO_JS)))
                .status()).isEqualTo(200);
        TestCove.Answer broken = cove.put("/api/v1/namespaces/_/applications/two", app(
                function("two-a", "nodejs:default", "function main() { return {changed: true}; }"),
                function("two-b", "python:default", ECHO_PY),
                function("Broken", "java:default", "public class Broken { int x = ; }")));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").asText()).startsWith("The function Broken: ").contains("does not compile");
        assertThat(cove.get("/api/v1/namespaces/_/actions/two-b").status()).isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/_/applications/two").json().path("version").asText()).isEqualTo("0.0.1");
        assertThat(cove.invoke("two-a", TestCove.object().put("same", true)).json().path("response").path("result")
                .path("same").asBoolean()).isTrue();
    }

    @Test
    void namesThatBelongToAnotherApplicationAreAConflict() throws Exception {
        assertThat(cove.put("/api/v1/namespaces/_/applications/three", app(function("three-a", "nodejs:default", ECHO_JS)))
                .status()).isEqualTo(200);
        TestCove.Answer taken = cove.put("/api/v1/namespaces/_/applications/four",
                app(function("three-a", "nodejs:default", ECHO_JS)));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("error").asText()).isEqualTo("The function three-a belongs to the application three.");
        TestCove.Answer alone = cove.deploy("three", "nodejs:default", ECHO_JS, TestCove.object());
        assertThat(alone.status()).isEqualTo(409);
        assertThat(cove.deploy("three-a", "nodejs:default", ECHO_JS, TestCove.object()).json().path("application")
                .asText()).as("redeployed alone, it stays in its application").isEqualTo("three");
    }

    @Test
    void badBodiesAreClearErrors() throws Exception {
        assertThat(cove.put("/api/v1/namespaces/_/applications/five", TestCove.object()).json().path("error").asText())
                .isEqualTo("functions is required: a list of actions, each with its name");
        ObjectNode twice = app(function("five-a", "nodejs:default", ECHO_JS), function("five-a", "nodejs:default", ECHO_JS));
        assertThat(cove.put("/api/v1/namespaces/_/applications/five", twice).json().path("error").asText())
                .isEqualTo("the function five-a is named twice in the application five");
        ObjectNode badKind = app(function("five-a", "cobol:1", ECHO_JS));
        assertThat(cove.put("/api/v1/namespaces/_/applications/five", badKind).json().path("error").asText())
                .startsWith("The function five-a: The specified runtime 'cobol:1' is not supported");
        assertThat(cove.get("/api/v1/namespaces/_/applications/five").status()).isEqualTo(404);
    }

    static final String SERVER_JS = """
            const net = require('net');
            let server;
            function main() {
              if (!server) server = net.createServer((s) => s.end('hi from left')).listen(7001, '127.0.0.1');
              return {listening: true};
            }
            """;
    static final String WRITER_PY = """
            def main(a):
                with open('/tmp/left-secret', 'w') as f:
                    f.write('only for left')
                return {'written': True}
            """;
    /** Reads the left application's file and connects to its port, answering what it got. */
    static final String PROBE_JS = """
            const net = require('net');
            const fs = require('fs');
            function main() {
              let file;
              try { file = fs.readFileSync('/tmp/left-secret', 'utf8'); } catch (e) { file = e.code; }
              return new Promise((resolve) => {
                const s = net.connect(7001, '127.0.0.1');
                let data = '';
                s.on('data', (d) => { data += d; });
                s.on('end', () => resolve({file, net: data}));
                s.on('error', (e) => resolve({file, net: e.code}));
              });
            }
            """;

    @Test
    void functionsOfOneApplicationShareFilesAndLoopbackAndTwoApplicationsShareNothing() throws Exception {
        assertThat(cove.put("/api/v1/namespaces/_/applications/left", app(function("left-server", "nodejs:default", SERVER_JS),
                function("left-writer", "python:default", WRITER_PY), function("left-probe", "nodejs:default", PROBE_JS)))
                .status()).isEqualTo(200);
        assertThat(cove.put("/api/v1/namespaces/_/applications/right",
                app(function("right-probe", "nodejs:default", PROBE_JS))).status()).isEqualTo(200);
        assertThat(result("left-server").path("listening").asBoolean()).isTrue();
        assertThat(result("left-writer").path("written").asBoolean()).isTrue();

        JsonNode inside = result("left-probe");
        assertThat(inside.path("file").asText()).isEqualTo("only for left");
        assertThat(inside.path("net").asText()).isEqualTo("hi from left");
        JsonNode outside = result("right-probe");
        assertThat(outside.path("file").asText()).isEqualTo("ENOENT");
        assertThat(outside.path("net").asText()).isEqualTo("ECONNREFUSED");
    }

    static JsonNode result(String function) throws Exception {
        TestCove.Answer answer = cove.invoke(function, TestCove.object());
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json().path("response").path("result");
    }

    @Test
    void deletingAnApplicationDeletesItsFunctions() throws Exception {
        cove.put("/api/v1/namespaces/_/applications/six", app(function("six-a", "nodejs:default", ECHO_JS),
                function("six-b", "python:default", ECHO_PY)));
        assertThat(cove.delete("/api/v1/namespaces/_/applications/six").status()).isEqualTo(200);
        assertThat(cove.get("/api/v1/namespaces/_/actions/six-a").status()).isEqualTo(404);
        assertThat(cove.get("/api/v1/namespaces/_/actions/six-b").status()).isEqualTo(404);
        assertThat(cove.delete("/api/v1/namespaces/_/applications/six").status()).isEqualTo(404);
    }

    static final String CACHE_READER_JS = """
            async function main(p, ctx) {
              const seen = [];
              for (let i = 0; i < 3; i++) seen.push(await ctx.cache.app.get('k'));
              return { seen };
            }
            """;
    static final String CACHE_READER_PY = """
            def main(p, ctx):
                return {"seen": [ctx.cache.app.get("k") for _ in range(3)]}
            """;
    static final String CACHE_WRITER_JS =
            "async function main(p, ctx) { await ctx.cache.app.set('k', p.v); return {}; }";
    static final String CACHE_WRITER_PY = "def main(p, ctx):\n    ctx.cache.app.set('k', p['v'])\n    return {}\n";

    static JsonNode seen(String reader) throws Exception {
        TestCove.Answer answer = cove.invoke(reader, TestCove.object());
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json().path("response").path("result").path("seen");
    }

    static void write(String writer, String value) throws Exception {
        assertThat(cove.invoke(writer, TestCove.object().put("v", value)).status()).isEqualTo(200);
    }

    /** Workers keep copies of the entries they read: a write by another function of the application reaches them. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aWriteByAnotherFunctionReachesAReaderHoldingACopy(String runtime) throws Exception {
        boolean node = runtime.equals("nodejs");
        String app = runtime + "-copies";
        String kind = runtime + ":default";
        TestCove.Answer deployed = cove.put("/api/v1/namespaces/_/applications/" + app, app(
                function(app + "-reader", kind, node ? CACHE_READER_JS : CACHE_READER_PY),
                function(app + "-writer", kind, node ? CACHE_WRITER_JS : CACHE_WRITER_PY)));
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);

        write(app + "-writer", "one");
        assertThat(seen(app + "-reader")).extracting(JsonNode::asText).containsExactly("one", "one", "one");
        for (int i = 0; i < 5; i++) {
            String value = "v" + i;
            write(app + "-writer", value);
            assertThat(seen(app + "-reader")).as("after the write of %s", value).extracting(JsonNode::asText)
                    .containsExactly(value, value, value);
        }
        JsonNode stats = cove.get("/api/v1/namespaces/_/cache?function=" + app + "-reader").json();
        assertThat(stats).as(stats.toString()).anySatisfy(scope -> {
            assertThat(scope.has("function")).as("the application's scope").isFalse();
            assertThat(scope.path("hits").asLong()).as("every get found its entry, copy or not").isEqualTo(18);
        });
    }
}
