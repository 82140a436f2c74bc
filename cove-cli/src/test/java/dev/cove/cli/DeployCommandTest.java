package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    @TempDir
    Path dir;

    private Cli cli;
    private Path source;

    @BeforeEach
    void setUp() throws Exception {
        cli = Cli.with(Map.of(), dir.resolve("config.json"));
        source = Files.writeString(dir.resolve("hello.js"), "function main(p) { return p }");
    }

    private ObjectNode body(String... args) {
        return cli.parse(DeployCommand.class, args).body();
    }

    @Test
    void aSourceFileIsSentAsTextWithTheKindItsExtensionNames() {
        ObjectNode body = body("deploy", source.toString());

        assertThat(Json.compact(body)).isEqualTo("{\"exec\":{\"kind\":\"nodejs:default\","
                + "\"code\":\"function main(p) { return p }\",\"binary\":false}}");
    }

    @Test
    void onlyEnvironmentStillSendsTheParameters() {
        assertThat(Json.compact(body("deploy", source.toString(), "-e", "A=1").path("parameters")))
                .isEqualTo("[{\"key\":\"A\",\"value\":\"1\",\"init\":true}]");
    }

    @Test
    void theNameDefaultsToTheFileName() {
        DeployCommand deploy = cli.parse(DeployCommand.class, "deploy", source.toString());

        assertThat(deploy.name).isEmpty();
        assertThat(Runtimes.baseName(deploy.file)).isEqualTo("hello");
    }

    @Test
    void everyOptionLandsInTheBody() {
        ObjectNode body = body("deploy", source.toString(), "--runtime", "nodejs:20", "--name", "greeter",
                "--main", "greet", "--timeout", "30s", "--memory", "512", "--concurrency", "8",
                "--max-instances", "2", "--min-instances", "1", "--idle-timeout", "90s",
                "-p", "name", "Ada", "-p", "count", "3", "-p", "tags", "[\"a\"]",
                "-e", "GREETING=hi there", "-e", "MODE=1");

        assertThat(Json.compact(body)).isEqualTo("{\"exec\":{\"kind\":\"nodejs:20\","
                + "\"code\":\"function main(p) { return p }\",\"main\":\"greet\",\"binary\":false},"
                + "\"parameters\":[{\"key\":\"name\",\"value\":\"Ada\"},{\"key\":\"count\",\"value\":3},"
                + "{\"key\":\"tags\",\"value\":[\"a\"]},"
                + "{\"key\":\"GREETING\",\"value\":\"hi there\",\"init\":true},"
                + "{\"key\":\"MODE\",\"value\":\"1\",\"init\":true}],"
                + "\"limits\":{\"timeout\":30000,\"memory\":512,\"concurrency\":8,\"maxInstances\":2,"
                + "\"minInstances\":1,\"idleTimeout\":90000}}");
    }

    @Test
    void aTierGoesIntoExec() throws Exception {
        Path file = Files.writeString(dir.resolve("Hello.java"), "public class Hello {}");

        assertThat(body("deploy", file.toString(), "--tier", "process").path("exec").path("tier").asText())
                .isEqualTo("process");
        assertThat(body("deploy", file.toString()).path("exec").has("tier")).as("left to the server").isFalse();
    }

    @Test
    void labelsAreSentAsAMapAndOnlyWhenGiven() {
        assertThat(Json.compact(body("deploy", source.toString(), "--label", "function=downscale", "-l", "created-by=cove")
                .path("labels"))).isEqualTo("{\"function\":\"downscale\",\"created-by\":\"cove\"}");
        assertThat(body("deploy", source.toString()).has("labels")).isFalse();
    }

    @Test
    void aManifestsLabelsAreTextLikeItsEnvironment() throws Exception {
        Path manifest = Files.writeString(dir.resolve("cove.yaml"), "application: scale\nfunctions:\n"
                + "  downscale: {file: hello.js, labels: {function: downscale, tier: 2}}\n  other: {file: hello.js}\n");

        ObjectNode body = Manifest.read(manifest).body();

        assertThat(Json.compact(body.path("functions").path(0).path("labels")))
                .isEqualTo("{\"function\":\"downscale\",\"tier\":\"2\"}");
        assertThat(body.path("functions").path(1).has("labels")).isFalse();
    }

    @Test
    void debugOnOrOffIsALimit() throws Exception {
        assertThat(body("deploy", source.toString(), "--debug", "off").path("limits").path("debug").asBoolean(true))
                .isFalse();
        assertThat(body("deploy", source.toString(), "--debug", "on").path("limits").path("debug").asBoolean(false))
                .isTrue();
        assertThat(body("deploy", source.toString()).path("limits").has("debug")).as("left to the server").isFalse();
        Path manifest = Files.writeString(dir.resolve("debug.yaml"), "application: quiet\nfunctions:\n"
                + "  a: {file: hello.js, limits: {debug: off}}\n  b: {file: hello.js, limits: {debug: false}}\n"
                + "  c: {file: hello.js, limits: {debug: on}}\n");
        ObjectNode functions = Manifest.read(manifest).body();
        assertThat(functions.path("functions").path(0).path("limits").path("debug").asBoolean(true)).isFalse();
        assertThat(functions.path("functions").path(1).path("limits").path("debug").asBoolean(true)).isFalse();
        assertThat(functions.path("functions").path(2).path("limits").path("debug").asBoolean(false)).isTrue();
    }

    @Test
    void aTimeoutInPlainMillisecondsIsSentAsIs() {
        assertThat(body("deploy", source.toString(), "--timeout", "1500").path("limits").path("timeout").asLong())
                .isEqualTo(1500);
    }

    @Test
    void anArchiveIsSentAsBase64() throws Exception {
        byte[] jar = {'P', 'K', 3, 4, 0, (byte) 0xff};
        Path file = Files.write(dir.resolve("hello.jar"), jar);

        ObjectNode exec = (ObjectNode) body("deploy", file.toString(), "--main", "dev.example.Hello").path("exec");

        assertThat(exec.path("kind").asText()).isEqualTo("java:default");
        assertThat(exec.path("binary").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(exec.path("code").asText())).isEqualTo(jar);
        assertThat(exec.path("main").asText()).isEqualTo("dev.example.Hello");
    }

    @Test
    void theRuntimeFlagWinsOverTheExtension() throws Exception {
        Path file = Files.writeString(dir.resolve("handler.txt"), "def main(a): return a");

        assertThat(body("deploy", file.toString(), "--runtime", "python").path("exec").path("kind").asText())
                .isEqualTo("python:default");
    }

    @Test
    void sourceIsSentAsUnicodeText() throws Exception {
        Path file = Files.writeString(dir.resolve("hi.py"), "def main(a): return {'g': 'grüß 👋'}", StandardCharsets.UTF_8);

        assertThat(body("deploy", file.toString()).path("exec").path("code").asText()).contains("grüß 👋");
    }

    @Test
    void anUnknownExtensionIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.ts"), "export {}");

        Cli.Result result = cli.run("deploy", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("""
                cannot tell the runtime of hello.ts from its extension (.js, .py, .java, .jar, .zip) - pass --runtime
                Try 'cove deploy --help' for more information.
                """);
    }

    @Test
    void aBadOptionValueIsAUsageError() {
        assertThat(cli.run("deploy", source.toString(), "--timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(cli.run("deploy", source.toString(), "--memory", "lots").exitCode()).isEqualTo(2);
        assertThat(cli.run("deploy", source.toString(), "-e", "NOEQUALS").exitCode()).isEqualTo(2);
        assertThat(cli.run("deploy", source.toString(), "-p", "lonely").exitCode()).isEqualTo(2);
        Cli.Result debug = cli.run("deploy", source.toString(), "--debug", "maybe");
        assertThat(debug.exitCode()).isEqualTo(2);
        assertThat(debug.err()).startsWith("--debug takes on or off, was 'maybe'");
        assertThat(cli.run("deploy", source.toString(), "--runtime", "cobol").err())
                .startsWith("unknown runtime 'cobol' - use nodejs, python, java, or a kind like nodejs:20\n");
    }

    @Test
    void aMissingFileIsAFailure() {
        Cli.Result result = cli.run("deploy", dir.resolve("nope.js").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("no file " + dir.resolve("nope.js") + "\n");
    }

    @Test
    void aPackageJsonBesideASourceFileIsItsDependencies() throws Exception {
        Files.writeString(dir.resolve("package.json"), "{\"dependencies\": {\"is-number\": \"7.0.0\"}}");

        assertThat(body("deploy", source.toString()).path("exec").path("dependencies").asText())
                .isEqualTo("{\"dependencies\": {\"is-number\": \"7.0.0\"}}");
    }

    @Test
    void aPythonFileTakesTheRequirementsItIsGiven() throws Exception {
        Path handler = Files.writeString(dir.resolve("handler.py"), "def main(a): return a");
        Path requirements = Files.writeString(dir.resolve("requirements.txt"), "covetiny==1.0\n");
        Files.writeString(dir.resolve("package.json"), "{}");

        assertThat(body("deploy", handler.toString()).path("exec").has("dependencies")).as("not node's").isFalse();
        assertThat(body("deploy", handler.toString(), "--dependencies", requirements.toString())
                .path("exec").path("dependencies").asText()).isEqualTo("covetiny==1.0\n");
    }

    @Test
    void missingDependenciesAreAFailure() {
        Cli.Result result = cli.run("deploy", source.toString(), "--dependencies", dir.resolve("nope.txt").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("no file " + dir.resolve("nope.txt") + "\n");
    }
}
