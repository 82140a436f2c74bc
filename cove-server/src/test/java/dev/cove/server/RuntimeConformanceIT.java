package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one suite every runtime passes, against a real server with real node, python and Java workers
 * and the inline Java tier. The fixtures under src/test/resources/conformance behave alike in each
 * runtime. {@code java} deploys them as users do (the platform picks the tier: inline where the code
 * passes the check, which most fixtures do); {@code java-process} asks for the process tier.
 */
class RuntimeConformanceIT {
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

    /** Deploys a fixture as {@code <runtime>-<fixture>} and answers that name. */
    static String deploy(String runtime, String fixture, ObjectNode extra) throws Exception {
        String name = runtime + "-" + fixture;
        TestCove.Answer answer = cove.deploy(name, kind(runtime), Files.readString(fixture(runtime, fixture)),
                tiered(runtime, extra));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return name;
    }

    /** The kind a runtime of this suite deploys as: {@code java-process} is Java in the process tier. */
    static String kind(String runtime) {
        return (runtime.startsWith("java") ? "java" : runtime) + ":default";
    }

    /** The deployment's extra fields, with the tier {@code java-process} asks for. */
    static ObjectNode tiered(String runtime, ObjectNode extra) {
        ObjectNode copy = extra.deepCopy();
        if (runtime.equals("java-process")) {
            copy.withObject("exec").put("tier", "process");
        }
        return copy;
    }

    /** A blocking invocation on another thread, so that several run at once. */
    static CompletableFuture<TestCove.Answer> invokeAsync(String name, ObjectNode params) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cove.invoke(name, params);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Path fixture(String runtime, String fixture) {
        return switch (runtime) {
            case "nodejs" -> TestCove.CONFORMANCE.resolve("nodejs/" + fixture + ".js");
            case "python" -> TestCove.CONFORMANCE.resolve("python/" + fixture + ".py");
            default -> TestCove.CONFORMANCE.resolve("java/"
                    + fixture.substring(0, 1).toUpperCase(Locale.ROOT) + fixture.substring(1) + ".java");
        };
    }

    static ObjectNode params() {
        return TestCove.object();
    }

    static String error(TestCove.Answer answer) {
        return answer.json().path("response").path("result").path("error").asText();
    }

    static JsonNode result(TestCove.Answer answer) {
        return answer.json().path("response").path("result");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void initAndParametersMergedOverDefaults(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putArray("parameters").addObject().put("key", "fromDefault").put("value", 1);
        extra.withArray("parameters").addObject().put("key", "a").put("value", "default");
        String name = deploy(runtime, "echo", extra);
        TestCove.Answer answer = cove.invoke(name, params().put("a", 2).set("nested", params().put("x", true)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(result(answer)).isEqualTo(params().put("fromDefault", 1).put("a", 2)
                .set("nested", params().put("x", true)));
        JsonNode annotations = answer.json().path("annotations");
        assertThat(annotations.toString()).contains("\"initTime\"").contains("\"waitTime\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void environmentHoldsWhatWasDeclaredAndNothingOfThePlatform(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putArray("parameters").addObject().put("key", "GREETING").put("value", "hi there").put("init", true);
        String name = deploy(runtime, "env", extra);
        JsonNode result = result(cove.invoke(name, params().put("name", "GREETING")));
        assertThat(result.path("value").asText()).isEqualTo("hi there");
        List<String> keys = new ArrayList<>();
        result.path("keys").forEach(k -> keys.add(k.asText()));
        assertThat(keys).contains("GREETING").doesNotContainAnyElementsOf(System.getenv().keySet().stream()
                .filter(k -> !k.equals("PATH") && !k.equals("LANG")).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void theApiHostIsAlwaysThereAndTheKeyOnlyWhenAskedFor(String runtime) throws Exception {
        String plain = deploy(runtime, "env", params());
        assertThat(result(cove.invoke(plain, params().put("name", "__OW_API_HOST"))).path("value").asText())
                .as("the address the function's sandbox relays from").isEqualTo("http://127.0.0.1:3233");
        assertThat(result(cove.invoke(plain, params().put("name", "__OW_API_KEY"))).path("value").isNull()).isTrue();
        assertThat(cove.get("/api/v1/namespaces/_/actions/" + plain).json().path("annotations").toString())
                .as("a new function is marked as OpenWhisk marks it").contains("{\"key\":\"provide-api-key\",\"value\":false}");

        for (JsonNode falsy : List.of(params().booleanNode(false), params().numberNode(0), params().textNode(""))) {
            ObjectNode extra = params();
            extra.putArray("annotations").addObject().put("key", "provide-api-key").set("value", falsy);
            String name = runtime + "-env-nokey";
            cove.deploy(name, kind(runtime), Files.readString(fixture(runtime, "env")), extra);
            assertThat(result(cove.invoke(name, params().put("name", "__OW_API_KEY"))).path("value").isNull())
                    .as("provide-api-key %s", falsy).isTrue();
        }

        ObjectNode asked = params();
        asked.putArray("annotations").addObject().put("key", "provide-api-key").put("value", true);
        String withKey = runtime + "-env-key";
        cove.deploy(withKey, kind(runtime), Files.readString(fixture(runtime, "env")), asked);
        assertThat(result(cove.invoke(withKey, params().put("name", "__OW_API_KEY"))).path("value").asText())
                .isEqualTo(cove.server.guestAuth());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void unicodeSurvivesTheRoundTrip(String runtime) throws Exception {
        String name = deploy(runtime, "unicode", params());
        JsonNode result = result(cove.invoke(name, params().put("text", "héllo wörld 👋")));
        assertThat(result.path("text").asText()).isEqualTo("héllo wörld 👋 ✓ 日本語 🚀");
        assertThat(result.path("length").asInt()).isEqualTo(13);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void payloadsUpToTheLimitPassAndLargerOnesAreRefused(String runtime) throws Exception {
        String echo = deploy(runtime, "echo", params());
        String nearLimit = "é".repeat(450_000);
        assertThat(result(cove.invoke(echo, params().put("data", nearLimit))).path("data").asText()).isEqualTo(nearLimit);
        TestCove.Answer tooBig = cove.invoke(echo, params().put("data", "x".repeat(1_100_000)));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("error").asText()).contains("1048576");

        String big = deploy(runtime, "big", params());
        TestCove.Answer bigResult = cove.invoke(big, params().put("size", 2_000_000));
        assertThat(bigResult.status()).isEqualTo(502);
        assertThat(bigResult.json().path("response").path("status").asText()).isEqualTo("application error");
        assertThat(bigResult.json().path("response").path("statusCode").asInt()).isEqualTo(1);
        assertThat(error(bigResult)).startsWith("The function's result is ")
                .contains("over the limit of 1048576 bytes; it began: {\"data\":\"xxxx").endsWith("x");
        assertThat(result(cove.invoke(big, params().put("size", 1000))).path("data").asText()).hasSize(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aNonDefaultEntryPointIsCalled(String runtime) throws Exception {
        ObjectNode extra = params();
        String code = Files.readString(fixture(runtime, "entry"));
        TestCove.Answer deployed = cove.deploy(runtime + "-entry", kind(runtime), code, tiered(runtime, extra));
        assertThat(deployed.status()).isEqualTo(200);
        ObjectNode body = tiered(runtime, params());
        body.withObject("exec").put("kind", kind(runtime)).put("code", code)
                .put("main", runtime.startsWith("java") ? "Greet" : "greet");
        assertThat(cove.put("/api/v1/namespaces/_/actions/" + runtime + "-entry?overwrite=true", body).status())
                .isEqualTo(200);
        TestCove.Answer answer = cove.invoke(runtime + "-entry", params().put("name", "Ada"));
        assertThat(result(answer).path("greeting").asText()).isEqualTo("hello Ada");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aResultThatIsNotAJsonObjectIsTheDevelopersError(String runtime) throws Exception {
        TestCove.Answer answer = cove.invoke(deploy(runtime, "nonjson", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("statusCode").asInt()).isEqualTo(2);
        assertThat(error(answer)).containsAnyOf("JSON object", "not valid JSON");
    }

    /**
     * As OpenWhisk's runtimes answer a throw: node's and Java's are the developer's error, a raise in
     * python (whose OpenWhisk runtime answers {"error": …} for it) the application's; either way the
     * error is the message, and what was thrown, with its stack, is in the logs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aThrowCarriesTheMessageAndLogsTheStack(String runtime) throws Exception {
        TestCove.Answer answer = cove.invoke(deploy(runtime, "throws", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        boolean raised = runtime.equals("python");
        assertThat(answer.json().path("response").path("status").asText())
                .isEqualTo(raised ? "application error" : "action developer error");
        assertThat(answer.json().path("statusCode").asInt()).isEqualTo(raised ? 1 : 2);
        assertThat(result(answer)).isEqualTo(params().put("error", switch (runtime) {
            case "nodejs" -> "Error: boom";
            case "python" -> "ValueError: boom";
            default -> "java.lang.IllegalStateException: boom";
        }));
        String logs = String.join("\n", lines(answer));
        assertThat(lines(answer)).allSatisfy(line -> assertThat(line).contains(" stderr: "));
        switch (runtime) {
            case "nodejs" -> assertThat(logs).contains("stderr: Error: boom").containsPattern("stderr: +at main \\(.*:2:\\d+\\)")
                    .doesNotContain("worker.js");
            case "python" -> assertThat(logs).contains("stderr: Traceback (most recent call last):")
                    .contains("line 2, in main").contains("stderr: ValueError: boom").doesNotContain("worker.py");
            default -> assertThat(logs).contains("stderr: java.lang.IllegalStateException: boom")
                    .containsPattern("stderr: \\s*at \\S*Throws\\.main\\(Throws.java:5\\)");
        }
    }

    static List<String> lines(TestCove.Answer answer) {
        List<String> lines = new ArrayList<>();
        answer.json().path("logs").forEach(l -> lines.add(l.asText()));
        return lines;
    }

    /** A rejected Promise (an async main that throws) is the application's error, carrying what it was rejected with. */
    @ParameterizedTest
    @ValueSource(strings = {"object", "nothing", "text", "thrown", "reference", "error"})
    void aRejectionIsTheApplicationsErrorCarryingItsValue(String how) throws Exception {
        String name = deploy("nodejs", "rejects", params());
        TestCove.Answer answer = cove.invoke(name, params().put("how", how));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("application error");
        assertThat(answer.json().path("statusCode").asInt()).isEqualTo(1);
        assertThat(answer.json().path("logs")).as("a rejection writes nothing of its own").isEmpty();
        JsonNode error = result(answer).path("error");
        switch (how) {
            case "object" -> assertThat(error).isEqualTo(params().put("done", true));
            case "nothing" -> assertThat(error).isEqualTo(params());
            case "text" -> assertThat(error.asText()).isEqualTo("no luck");
            case "thrown" -> {
                assertThat(error.path("name").asText()).isEqualTo("Error");
                assertThat(error.path("message").asText()).isEqualTo("app error");
                assertThat(error.path("stack").asText()).startsWith("Error: app error\n    at ");
            }
            case "reference" -> assertThat(error.toString().toLowerCase(Locale.ROOT))
                    .contains("referenceerror: undefinedname is not defined");
            default -> {
                assertThat(error.path("name").asText()).isEqualTo("TypeError");
                assertThat(error.path("message").asText()).isEqualTo("bad input");
                assertThat(error.path("code").asText()).isEqualTo("E_INPUT");
                assertThat(error.path("detail")).isEqualTo(params().put("n", 1));
            }
        }
    }

    /**
     * What a function returns, by OpenWhisk's rules: an object or an array is the result, nothing at all
     * in node is {}, and anything else (a string, a number, a boolean, null, Python's None, Java's
     * null) is the developer's error.
     */
    static Stream<Arguments> returnedValues() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Stream.of(
                Arguments.of("nodejs", json.arrayNode().add("a").add("b"), "[\"a\",\"b\"]"),
                Arguments.of("nodejs", json.arrayNode(), "[]"),
                Arguments.of("nodejs", null, "{}"),
                Arguments.of("nodejs", json.nullNode(), "null"),
                Arguments.of("nodejs", json.textNode("text"), "a string"),
                Arguments.of("nodejs", json.numberNode(42), "a number"),
                Arguments.of("nodejs", json.booleanNode(true), "a boolean"),
                Arguments.of("python", json.arrayNode().add("a").add("b"), "[\"a\",\"b\"]"),
                Arguments.of("python", null, "None"),
                Arguments.of("python", json.textNode("text"), "a string"),
                Arguments.of("python", json.numberNode(4.5), "a number"),
                Arguments.of("python", json.booleanNode(false), "a boolean"),
                Arguments.of("java", null, "null"),
                Arguments.of("java-process", null, "null"));
    }

    @ParameterizedTest
    @MethodSource("returnedValues")
    void whatAFunctionReturnsIsItsResultOnlyWhenAnObjectOrAnArray(String runtime, JsonNode value, String expected)
            throws Exception {
        String name = deploy(runtime, "returns", params());
        for (boolean later : runtime.equals("nodejs") ? List.of(false, true) : List.of(false)) {
            ObjectNode given = params().put("later", later);
            if (value != null) {
                given.set("value", value);
            }
            TestCove.Answer answer = cove.invoke(name, given);
            if (expected.startsWith("[") || expected.startsWith("{")) {
                assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
                assertThat(answer.json().path("statusCode").asInt()).isZero();
                assertThat(result(answer).toString()).isEqualTo(expected);
            } else {
                assertThat(answer.status()).isEqualTo(502);
                assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
                assertThat(error(answer)).startsWith("The function returned " + expected + "; it must return a JSON ");
            }
        }
    }

    @Test
    void aPythonTupleIsAnArrayResult() throws Exception {
        TestCove.Answer answer = cove.invoke(deploy("python", "returns", params()), params().put("tuple", true)
                .set("value", TestCove.JSON.createArrayNode().add(1).add("two")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(result(answer).toString()).isEqualTo("[1,\"two\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aTimeoutEndsTheActivationAndReplacesTheInstance(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putObject("limits").put("timeout", 500);
        String loop = deploy(runtime, "loop", extra);
        TestCove.Answer answer = cove.invoke(loop, params());
        assertThat(answer.status()).isEqualTo(408);
        assertThat(error(answer)).isEqualTo("The function exceeded its time limit of 500 ms.");
        assertThat(answer.json().path("annotations").toString()).contains("{\"key\":\"timeout\",\"value\":true}");

        String slow = deploy(runtime, "slow", extra);
        assertThat(cove.invoke(slow, params().put("ms", 5000)).status()).isEqualTo(408);
        TestCove.Answer after = cove.invoke(slow, params().put("ms", 1));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().path("annotations").toString()).as("a fresh instance").contains("initTime");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aCrashIsADeveloperErrorAndTheNextCallGetsAFreshInstance(String runtime) throws Exception {
        String crash = deploy(runtime, "crash", params());
        TestCove.Answer answer = cove.invoke(crash, params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(error(answer)).contains(runtime.startsWith("java") ? "StackOverflowError" : "exited with status 3");
        assertThat(answer.json().path("logs").toString()).contains("about to crash");
        assertThat(cove.invoke(crash, params()).status()).isEqualTo(502);
        TestCove.Answer healthy = cove.invoke(deploy(runtime, "echo", params()), params().put("ok", 1));
        assertThat(healthy.status()).as(healthy.json().toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void logsAreCapturedInOrderWithTheirStreams(String runtime) throws Exception {
        TestCove.Answer answer = cove.invoke(deploy(runtime, "logs", params()), params());
        assertThat(answer.status()).isEqualTo(200);
        List<String> logs = new ArrayList<>();
        answer.json().path("logs").forEach(l -> logs.add(l.asText()));
        assertThat(logs).hasSize(3);
        assertThat(logs.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z stdout: out line 1");
        assertThat(logs.get(1)).endsWith("stdout: out line 2");
        assertThat(logs.get(2)).endsWith("stderr: err line");
        String id = answer.json().path("activationId").asText();
        assertThat(cove.get("/api/v1/namespaces/_/activations/" + id + "/logs").json().path("logs"))
                .isEqualTo(answer.json().path("logs"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void anErrorResultIsTheApplicationsError(String runtime) throws Exception {
        TestCove.Answer answer = cove.invoke(deploy(runtime, "apperror", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("application error");
        assertThat(answer.json().path("statusCode").asInt()).isEqualTo(1);
        assertThat(error(answer)).isEqualTo("not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void codeThatFailsToLoadIsADeveloperError(String runtime) throws Exception {
        TestCove.Answer answer = cove.invoke(deploy(runtime, "initerror", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(error(answer)).startsWith("The function failed to initialise: ").contains("SyntaxError");
    }

    /** As OpenWhisk's python runtime, whose traceback goes to stderr: the function's own frames only. */
    @Test
    void pythonThatFailsToLoadLogsItsTraceback() throws Exception {
        TestCove.Answer answer = cove.invoke(deploy("python", "importerror", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(error(answer)).contains("ModuleNotFoundError: No module named 'some_module_that_isnt_there'");
        String logs = answer.json().path("logs").toString();
        assertThat(logs).contains("stderr: Traceback (most recent call last):").contains("function.py\\\", line 2, in <module>")
                .contains("ModuleNotFoundError").doesNotContain("worker.py").doesNotContain("importlib");
    }

    /** A load-time throw is logged as a run-time one is: with the stack through the function's own code. */
    @Test
    void nodeThatFailsToLoadLogsTheStack() throws Exception {
        TestCove.Answer answer = cove.invoke(deploy("nodejs", "initerror", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        String logs = answer.json().path("logs").toString();
        assertThat(logs).contains("stderr: SyntaxError").contains("at Object.<anonymous>")
                .doesNotContain("worker.js").doesNotContain("node:internal");
    }

    /**
     * OpenWhisk ends it as a developer error whose error is "An error has occurred: Extraordinary
     * exception"; the status, code and shape are the same here, the thrown string is the error as it is.
     */
    @Test
    void nodeThatThrowsAStringIsADeveloperErrorWithThatString() throws Exception {
        TestCove.Answer answer = cove.invoke(deploy("nodejs", "throwsstring", params()), params());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(answer.json().path("response").path("statusCode").asInt()).isEqualTo(2);
        assertThat(answer.json().path("response").path("result").toString())
                .isEqualTo("{\"error\":\"Extraordinary exception\"}");
        assertThat(answer.json().path("logs").toString()).contains("stderr: 'Extraordinary exception'");
    }

    /** Sources that do not compile, each with where the error is: line, column, and what the compiler says. */
    static Stream<Arguments> sourcesThatDoNotCompile() {
        return Stream.of(
                Arguments.of("nodejs", "function main(params) {\n  return { ok: true };\n}}\n", 3, 2, "SyntaxError: Unexpected token '}'"),
                Arguments.of("nodejs", "function main(params) {\n  return { ok: true\n}\n", 3, 2, "SyntaxError: Unexpected end of input"),
                Arguments.of("nodejs", "function main(params) {\n\treturn {ok:: true};\n}\n", 2, 13, "SyntaxError: Unexpected token ':'"),
                Arguments.of("nodejs", "let x = 1;\nlet x = 2;\nfunction main() { return {}; }\n", 2, 5, "SyntaxError: Identifier 'x' has already been declared"),
                Arguments.of("python", "def main(args)\n    return {\"ok\": True}\n", 1, 15, "SyntaxError: expected ':'"),
                Arguments.of("python", "def main(args):\n    return {\"ok\": (1,\n", 2, 19, "SyntaxError: '(' was never closed"),
                Arguments.of("python", "def main(args):\n  x = 1\n    return x\n", 3, 4, "IndentationError: unexpected indent"));
    }

    @ParameterizedTest
    @MethodSource("sourcesThatDoNotCompile")
    void aSourceThatDoesNotCompileIsRefusedAtDeploymentWithItsLineAndColumn(String runtime, String code, int line,
            int column, String error) throws Exception {
        TestCove.Answer answer = cove.deploy(runtime + "-syntax", kind(runtime), code, params());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("the " + (runtime.equals("nodejs") ? "JavaScript"
                : "Python") + " source does not compile: line " + line + ", column " + column + ": " + error);
        assertThat(cove.get("/api/v1/namespaces/_/actions/" + runtime + "-syntax").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aZipWhoseEntryFileDoesNotCompileIsRefusedNamingThatEntry(String runtime, @TempDir Path root) throws Exception {
        String entry = runtime.equals("nodejs") ? "lib/app.js" : "__main__.py";
        if (runtime.equals("nodejs")) {
            Files.writeString(root.resolve("package.json"), "{\"main\": \"lib/app\"}");
        }
        Files.createDirectories(root.resolve(entry).getParent());
        Files.writeString(root.resolve(entry), runtime.equals("nodejs") ? "exports.main = () => {\n  return {a: 1;\n};\n"
                : "def main(args):\n\treturn {\"a\":: 1}\n");
        ObjectNode body = params();
        body.putObject("exec").put("kind", runtime + ":default").put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(zip(root)));
        TestCove.Answer answer = cove.put("/api/v1/namespaces/_/actions/" + runtime + "-broken-zip?overwrite=true", body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("the zip archive's " + entry + " does not compile: "
                + (runtime.equals("nodejs") ? "line 2, column 15: SyntaxError: Unexpected token ';'"
                        : "line 2, column 14: SyntaxError: invalid syntax"));
    }

    @Test
    void anEsModuleIsCompiledAsOneAndARefusedRedeploymentLeavesTheFunctionAsItWas(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("package.json"), "{\"type\": \"module\", \"main\": \"main.js\"}");
        Files.writeString(root.resolve("main.js"), "export function main() {\n  return {ok: true};\n}\n");
        ObjectNode body = params();
        body.putObject("exec").put("kind", "nodejs:default").put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(zip(root)));
        assertThat(cove.put("/api/v1/namespaces/_/actions/esm-zip?overwrite=true", body).status()).isEqualTo(200);
        assertThat(result(cove.invoke("esm-zip", params())).path("ok").asBoolean()).isTrue();
        Files.writeString(root.resolve("main.js"), "export function main() {\n  return {ok: true};\n");
        body.withObject("exec").put("code", Base64.getEncoder().encodeToString(zip(root)));
        TestCove.Answer refused = cove.put("/api/v1/namespaces/_/actions/esm-zip?overwrite=true", body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText())
                .isEqualTo("the zip archive's main.js does not compile: line 2, column 21: SyntaxError: Unexpected end of input");
        assertThat(result(cove.invoke("esm-zip", params())).path("ok").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void javaThatFailsToCompileIsRefusedAtDeployment(String runtime) throws Exception {
        TestCove.Answer answer = cove.deploy(runtime + "-initerror", "java:21",
                Files.readString(fixture(runtime, "initerror")), tiered(runtime, params()));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains("does not compile").contains("Initerror.java:2");
        assertThat(cove.get("/api/v1/namespaces/_/actions/" + runtime + "-initerror").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void kubelessHandlersGetAnEventAndAContext(String runtime) throws Exception {
        String name = deploy(runtime, "kubeless", params());
        TestCove.Answer answer = cove.invoke(name, params().put("msg", "hi"));
        JsonNode result = result(answer);
        assertThat(result.path("data")).isEqualTo(params().put("msg", "hi"));
        assertThat(result.path("id").asText()).isEqualTo(answer.json().path("activationId").asText());
        assertThat(result.path("fn").asText()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void kubelessTakesTheEventFieldsFromTheRequestsHeaders(String runtime) throws Exception {
        String name = deploy(runtime, "kubelessevent", params());
        TestCove.Answer given = cove.send(HttpRequest.newBuilder(
                URI.create(cove.server.apiHost() + "/fn/" + name))
                .header("event-id", "id-1").header("event-type", "text/plain")
                .header("event-time", "2020-01-02T03:04:05Z").header("event-namespace", "mine").GET());
        assertThat(given.json()).isEqualTo(params().put("id", "id-1").put("type", "text/plain")
                .put("time", "2020-01-02T03:04:05Z").put("namespace", "mine").put("method", "get"));

        TestCove.Answer own = cove.invoke(name, params());
        JsonNode result = result(own);
        assertThat(result.path("id").asText()).isEqualTo(own.json().path("activationId").asText());
        assertThat(result.path("type").asText()).isEqualTo("application/json");
        assertThat(result.path("namespace").asText()).isEqualTo("cove");
        assertThat(result.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(result.path("method").isNull()).isTrue();
    }

    @Test
    void aKubelessNodeHandlerMayWriteItsAnswerToTheResponse() throws Exception {
        String name = deploy("nodejs", "kubelessstream", params());
        TestCove.Answer answer = cove.send(HttpRequest.newBuilder(
                URI.create(cove.server.apiHost() + "/fn/" + name)).GET());
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header("content-type")).startsWith("text/plain");
        assertThat(answer.raw().body()).isEqualTo("one, two, three");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void zipArchivesWithVendoredDependenciesRun(String runtime) throws Exception {
        ObjectNode body = params();
        body.putObject("exec").put("kind", runtime + ":default").put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(zip(TestCove.CONFORMANCE.resolve(runtime + "/package"))));
        assertThat(cove.put("/api/v1/namespaces/_/actions/" + runtime + "-zip?overwrite=true", body).status())
                .isEqualTo(200);
        JsonNode result = result(cove.invoke(runtime + "-zip", params().put("text", "ab")));
        assertThat(result.path("padded").asText()).contains("ab").hasSizeGreaterThan(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void concurrentActivationsShareOneInstanceUpToItsConcurrency(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putObject("limits").put("concurrency", 4).put("maxInstances", 1);
        String name = deploy(runtime, "slow", extra);
        assertThat(cove.invoke(name, params().put("ms", 1)).status()).isEqualTo(200); // warm it
        List<CompletableFuture<TestCove.Answer>> calls = Stream.generate(() -> invokeAsync(name, params().put("ms", 400)))
                .limit(4).toList();
        List<JsonNode> activations = calls.stream().map(CompletableFuture::join).map(TestCove.Answer::json).toList();
        long latestStart = activations.stream().mapToLong(a -> a.path("start").asLong()).max().orElseThrow();
        long earliestEnd = activations.stream().mapToLong(a -> a.path("end").asLong()).min().orElseThrow();
        assertThat(latestStart).as("all four ran at once on the one instance").isLessThan(earliestEnd);
        assertThat(activations).allSatisfy(a -> assertThat(a.path("annotations").toString()).doesNotContain("initTime"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void concurrentActivationsOfOneInstanceEachKeepAllTheirLogLinesInOrder(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putObject("limits").put("concurrency", 8).put("maxInstances", 1);
        String name = deploy(runtime, "chatty", extra);
        int lines = 400;
        List<CompletableFuture<TestCove.Answer>> calls = Stream.iterate(0, i -> i + 1).limit(8)
                .map(i -> invokeAsync(name, params().put("tag", "t" + i).put("lines", lines))).toList();
        for (int i = 0; i < 8; i++) {
            TestCove.Answer answer = calls.get(i).join();
            assertThat(result(answer).path("tag").asText()).isEqualTo("t" + i);
            List<String> logged = new ArrayList<>();
            answer.json().path("logs").forEach(l -> logged.add(l.asText().replaceFirst("^\\S+ stdout: ", "")));
            String tag = "t" + i;
            assertThat(logged).as("activation %s's own lines, every one, in order", tag)
                    .containsExactlyElementsOf(Stream.iterate(0, n -> n + 1).limit(lines).map(n -> tag + " " + n).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs"})
    void promisesAreAwaited(String runtime) throws Exception {
        assertThat(result(cove.invoke(deploy(runtime, "promise", params()), params())).path("async").asBoolean())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aFunctionInvokesAnotherAndGetsItsResult(String runtime) throws Exception {
        String caller = deploy(runtime, "caller", params());
        String callee = deploy(runtime.equals("nodejs") ? "python" : "nodejs", "echo", params());
        TestCove.Answer answer = cove.invoke(caller, params().put("target", callee)
                .set("params", params().put("n", 7).put("text", "héllo")));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode result = result(answer);
        assertThat(result.path("result").path("n").asInt()).isEqualTo(7);
        assertThat(result.path("result").path("text").asText()).isEqualTo("héllo");
        assertThat(result.path("me").asText()).isEqualTo(answer.json().path("activationId").asText());
        JsonNode called = cove.get("/api/v1/namespaces/_/activations?name=" + callee + "&limit=1").json().get(0);
        assertThat(TestCove.causedBy(called)).isEqualTo(answer.json().path("activationId").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aFailedCallIsAnErrorCarryingTheCalleesOutcome(String runtime) throws Exception {
        String caller = deploy(runtime, "caller", params());
        String failing = deploy("python", "apperror", params());
        JsonNode failed = result(cove.invoke(caller, params().put("target", failing)));
        assertThat(failed.path("failed").asText()).isEqualTo("not found");
        assertThat(failed.path("name").asText()).isEqualTo("InvocationError");
        assertThat(failed.path("status").asText()).isEqualTo("application error");
        assertThat(failed.path("calledResult").path("error").asText()).isEqualTo("not found");
        assertThat(cove.activation(failed.path("activationId").asText()).path("statusCode").asInt()).isEqualTo(1);
        JsonNode missing = result(cove.invoke(caller, params().put("target", "no-such-function")));
        assertThat(missing.path("failed").asText())
                .isEqualTo("There is no function named no-such-function in the namespace guest.");
        assertThat(missing.path("status").asText()).isEqualTo("refused");
        assertThat(missing.path("activationId").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void aSentCallRunsOnItsOwnAndRecordsItsCause(String runtime) throws Exception {
        String caller = deploy(runtime, "caller", params());
        String callee = deploy("nodejs", "echo", params());
        TestCove.Answer answer = cove.invoke(caller, params().put("target", callee).put("mode", "send")
                .set("params", params().put("sent", true)));
        String sent = result(answer).path("activationId").asText();
        assertThat(sent).hasSize(32);
        JsonNode activation = cove.activation(sent);
        assertThat(activation.path("response").path("result").path("sent").asBoolean()).isTrue();
        assertThat(TestCove.causedBy(activation)).isEqualTo(answer.json().path("activationId").asText());
        JsonNode chain = cove.get("/api/v1/namespaces/_/activations/" + answer.json().path("activationId").asText()
                + "/chain").json();
        assertThat(chain).extracting(a -> a.path("activationId").asText())
                .containsExactly(answer.json().path("activationId").asText(), sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void concurrentActivationsOfOneInstanceEachGetTheirOwnAnswer(String runtime) throws Exception {
        ObjectNode extra = params();
        extra.putObject("limits").put("concurrency", 8).put("maxInstances", 1);
        String caller = deploy(runtime, "caller", extra);
        // a name of its own: python-slow is deployed with a 500 ms time limit by another test of the suite
        String callee = "slow-callee";
        assertThat(cove.deploy(callee, kind("python"), Files.readString(fixture("python", "slow")), params()).status())
                .isEqualTo(200);
        List<CompletableFuture<TestCove.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int ms = 50 + 20 * i;
            calls.add(invokeAsync(caller, params().put("target", callee).set("params", params().put("ms", ms))));
        }
        for (int i = 0; i < 8; i++) {
            TestCove.Answer answer = calls.get(i).join();
            assertThat(result(answer).path("result").path("slept").asInt()).as(answer.json().toString())
                    .isEqualTo(50 + 20 * i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "java-process"})
    void theCacheKeepsJsonBytesAndCountsPerFunction(String runtime) throws Exception {
        String name = deploy(runtime, "cachey", params());
        JsonNode out = result(cove.invoke(name, params().put("key", "k").put("big", 1536 * 1024)));
        assertThat(out.path("missing").isMissingNode() || out.path("missing").isNull()).as(out.toString()).isTrue();
        assertThat(out.path("json")).isEqualTo(params().put("n", 1).put("text", "héllo"));
        assertThat(out.path("bytes").toString()).isEqualTo("[0,1,2,255]");
        assertThat(out.path("counted").toString()).isEqualTo("[1,6]");
        assertThat(out.path("deleted").toString()).isEqualTo("[true,false]");
        assertThat(out.path("computed").asText()).isEqualTo("made");
        assertThat(out.path("again").asText()).isEqualTo("made");
        assertThat(out.path("appOwn").isMissingNode() || out.path("appOwn").isNull())
                .as("the application's entries are not the function's").isTrue();
        assertThat(out.path("big").asText()).startsWith("CacheError: ").contains("over the cache's limit of");
        JsonNode again = result(cove.invoke(name, params().put("key", "k")));
        assertThat(again.path("counted").toString()).as("entries outlive the activation").isEqualTo("[7,12]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void everyJavaActivationSaysWhichTierRanIt(String runtime) throws Exception {
        String name = deploy(runtime, "echo", params());
        TestCove.Answer answer = cove.invoke(name, params().put("n", 1));
        assertThat(answer.status()).isEqualTo(200);
        String annotations = answer.json().path("annotations").toString();
        JsonNode action = cove.get("/api/v1/namespaces/_/actions/" + name).json();
        if (runtime.equals("java")) {
            assertThat(annotations).contains("{\"key\":\"tier\",\"value\":\"inline\"}").doesNotContain("tierReason");
            assertThat(action.path("tier").toString()).isEqualTo("{\"runs\":\"inline\"}");
        } else {
            assertThat(annotations).contains("{\"key\":\"tier\",\"value\":\"process\"}")
                    .contains("{\"key\":\"tierReason\",\"value\":\"it was deployed with --tier process\"}");
            assertThat(action.path("tier").path("runs").asText()).isEqualTo("process");
        }
    }

    /** A jar with a Main-Class runs in both tiers, as a source does. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void aJarRunsAsItsManifestSays(String runtime) throws Exception {
        ObjectNode body = tiered(runtime, params());
        body.withObject("exec").put("kind", "java:21").put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(jar(fixture(runtime, "echo"), "Echo")));
        TestCove.Answer deployed = cove.put("/api/v1/namespaces/_/actions/" + runtime + "-jar?overwrite=true", body);
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(deployed.json().path("exec").path("main").asText()).isEqualTo("Echo");
        assertThat(deployed.json().path("tier").path("runs").asText()).isEqualTo(runtime.equals("java") ? "inline" : "process");
        TestCove.Answer answer = cove.invoke(runtime + "-jar", params().put("n", 5));
        assertThat(result(answer).path("n").asInt()).as(answer.json().toString()).isEqualTo(5);
    }

    /** The source compiled into a jar whose manifest names its main class. */
    static byte[] jar(Path source, String mainClass) throws IOException {
        Path classes = Files.createTempDirectory(dir, "classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), source.toString())).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zip(Path root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                zip.putNextEntry(new ZipEntry(root.relativize(file).toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
