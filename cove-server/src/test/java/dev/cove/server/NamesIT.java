package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every valid name works (docs/rest-api.md: 1 to 256 letters, digits, {@code _ . @ -}), though a file
 * name holds at most 255 bytes: a function's name becomes its code's folder, and with its version the
 * folder its workers find the code in inside their sandbox. In every runtime; alone, and in an
 * application whose functions run each other's code in one worker.
 */
class NamesIT {
    static final String ACTIONS = "/api/v1/namespaces/_/actions/";

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

    /** A valid name of {@code length} characters that starts with {@code start}, every kind of character in it. */
    static String name(String start, int length) {
        String characters = "_.@-0123456789aZ";
        StringBuilder name = new StringBuilder(start);
        for (int i = 0; name.length() < length; i++) {
            name.append(characters.charAt(i % characters.length()));
        }
        return name.toString();
    }

    /** The longest name; the longest a folder holds as it is; one that fits, but not with @VERSION after it. */
    static Stream<Arguments> runtimesAndNames() {
        return Stream.of("nodejs", "python", "java", "java-process").flatMap(runtime -> Stream.of(
                Arguments.of(runtime, name(runtime, 256)),
                Arguments.of(runtime, name(runtime, 255)),
                Arguments.of(runtime, name(runtime, 254))));
    }

    @ParameterizedTest
    @MethodSource("runtimesAndNames")
    void aFunctionOfEveryValidNameIsDeployedRunRedeployedAndDeleted(String runtime, String name) throws Exception {
        String code = Files.readString(RuntimeConformanceIT.fixture(runtime, "echo"));
        String kind = RuntimeConformanceIT.kind(runtime);
        ObjectNode extra = RuntimeConformanceIT.tiered(runtime, TestCove.object());
        for (int version = 1; version <= 3; version++) { // a deployment removes the versions before the last
            TestCove.Answer deployed = cove.deploy(name, kind, code, extra);
            assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
            assertThat(deployed.json().path("name").asText()).isEqualTo(name);
            TestCove.Answer ran = cove.invoke(name, TestCove.object().put("version", version));
            assertThat(ran.status()).as(ran.json().toString()).isEqualTo(200);
            assertThat(ran.json().path("response").path("result").path("version").asInt()).isEqualTo(version);
            assertThat(ran.json().path("name").asText()).isEqualTo(name);
        }
        assertThat(cove.get(ACTIONS + name).json().path("version").asText()).isEqualTo("0.0.3");
        assertThat(cove.delete(ACTIONS + name).status()).isEqualTo(200);
        assertThat(cove.get(ACTIONS + name).status()).isEqualTo(404);
        try (Stream<Path> left = Files.list(dir.resolve("code/guest"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("its code is gone")
                    .noneMatch(f -> f.startsWith(name.substring(0, 200)));
        }
    }

    @Test
    void aPercentEncodedNameInAPathIsTheNameItEncodes() throws Exception {
        String code = Files.readString(RuntimeConformanceIT.fixture("nodejs", "echo"));
        TestCove.Answer deployed = cove.deploy("pct%40Encoded%2Ename", "nodejs:default", code, TestCove.object());
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(deployed.json().path("name").asText()).isEqualTo("pct@Encoded.name");

        assertThat(cove.get(ACTIONS + "pct@Encoded.name").status()).isEqualTo(200);
        TestCove.Answer ran = cove.invoke("pct%40Encoded.name", TestCove.object().put("x", 1));
        assertThat(ran.status()).as(ran.json().toString()).isEqualTo(200);
        assertThat(ran.json().path("name").asText()).isEqualTo("pct@Encoded.name");
        assertThat(cove.get(ACTIONS + "%70ct%40Encoded.name").json().path("name").asText()).isEqualTo("pct@Encoded.name");
        assertThat(cove.delete(ACTIONS + "pct%40Encoded.name").status()).isEqualTo(200);
        assertThat(cove.get(ACTIONS + "pct@Encoded.name").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%2Fb", "a%20b", "%C3%A9"})
    void aNameThatDecodesToAnInvalidOneIsABadRequest(String segment) throws Exception {
        // (one that does not decode, a%zz, no client here sends: PathSegmentsTest has those)
        TestCove.Answer answer = cove.get(ACTIONS + segment);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains("a function name is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void functionsOfTheLongestNamesCallEachOtherInOneWorker(String runtime) throws Exception {
        String app = name(runtime + "-app", 256);
        String caller = name(runtime + "-caller", 256);
        String callee = name(runtime + "-callee", 256);
        String kind = RuntimeConformanceIT.kind(runtime);
        List<ObjectNode> functions = List.of(
                ApplicationsIT.function(caller, kind, Files.readString(FusedCallsIT.fixture(runtime, "caller"))),
                ApplicationsIT.function(callee, kind, Files.readString(FusedCallsIT.fixture(runtime, "callee"))));
        if (runtime.equals("java-process")) {
            functions.forEach(f -> f.withObject("exec").put("tier", "process"));
        }
        TestCove.Answer deployed = cove.put("/api/v1/namespaces/_/applications/" + app,
                ApplicationsIT.app(functions.toArray(ObjectNode[]::new)));
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(cove.get("/api/v1/namespaces/_/applications/" + app).json().path("name").asText()).isEqualTo(app);

        for (int attempt = 0; attempt < FusedCallsIT.OFFER_ATTEMPTS; attempt++) {
            TestCove.Answer answer = cove.invoke(caller, TestCove.object().put("target", callee)
                    .set("params", TestCove.object()));
            assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
            JsonNode result = answer.json().path("response").path("result");
            JsonNode called = result.path("calls").get(0);
            assertThat(called.path("i").asInt(-1)).as(result.toString()).isZero();
            if (called.path("pid").asLong() == result.path("pid").asLong()) {
                return; // the callee's code, under its long name, ran in the caller's worker
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the caller's worker never ran the callee itself");
    }
}
