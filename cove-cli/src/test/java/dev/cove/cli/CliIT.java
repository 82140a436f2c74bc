package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.server.CoveServer;
import dev.cove.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real commands, run in-process through picocli, against a real server on a free port. */
class CliIT {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String ID = "[0-9a-f]{32}";

    @TempDir
    static Path dir;

    private static CoveServer server;
    private static Cli cli;
    /** A client as curl is one: what an HTTP trigger's callers use. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        server = CoveServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir.resolve("data")));
        cli = Cli.with(Map.of("COVE_APIHOST", server.apiHost(), "COVE_AUTH", server.guestAuth()),
                dir.resolve("config.json"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A function file in its own folder, so that its name is the file's base name. */
    private static Path function(String fileName, String code) throws IOException {
        Path folder = Files.createTempDirectory(dir, "fn");
        return Files.writeString(folder.resolve(fileName), code);
    }

    /** The README's examples are what this test runs. */
    private static Path example(String fileName) {
        return EXAMPLES.resolve(fileName);
    }

    private static Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as("cove %s: %s", String.join(" ", args), result.err()).isZero();
        assertThat(result.err()).isEmpty();
        return result;
    }

    /** Activation records are written off the invocation path: ask again until they are there. */
    private static <T> T eventually(Supplier<T> attempt, Predicate<T> done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        T value = attempt.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            value = attempt.get();
        }
        return value;
    }

    @Test
    void deploysAndInvokesTheHelloExample() throws Exception {
        Path hello = example("hello.js");

        assertThat(ok("deploy", hello.toString()).out()).matches("deployed hello \\(nodejs:\\w+\\) as version \\d+\\.\\d+\\.\\d+\n");
        assertThat(ok("invoke", "hello", "-p", "name", "Ada").out()).contains("Hello, Ada!");
    }

    @Test
    void redeployingBumpsTheVersionAndKeepsWhatIsNotGiven() throws Exception {
        Path file = function("bump.js", "function main() { return {v: 1}; }");

        assertThat(ok("deploy", file.toString()).out()).matches("deployed bump \\(nodejs:\\d+\\) as version 0\\.0\\.1\n");
        assertThat(ok("deploy", file.toString(), "--memory", "128", "-p", "a", "1").out())
                .matches("deployed bump \\(nodejs:\\d+\\) as version 0\\.0\\.2\n");
        ok("deploy", file.toString());

        assertThat(ok("get", "bump").out()).contains("version     0.0.3").contains("memory 128 MB").contains("parameter   a = 1");
    }

    @Test
    void aRedeploymentThatChangesTheRuntimeSaysSo() throws Exception {
        Path node = function("shape.js", "function main() { return {v: 1}; }");
        Path python = function("shape.py", "def handler(event, context):\n    return {\"v\": 2}\n");

        assertThat(ok("deploy", node.toString()).out()).matches("deployed shape \\(nodejs:20\\) as version 0\\.0\\.1\n");
        assertThat(ok("deploy", python.toString()).out())
                .isEqualTo("deployed shape (python:3) as version 0.0.2\nshape was nodejs:20, is now python:3\n");
        assertThat(ok("deploy", python.toString(), "--memory", "512").out())
                .isEqualTo("deployed shape (python:3) as version 0.0.3\n");
    }

    @Test
    void codeThatDoesNotCompileIsRefusedWithItsFileLineAndColumn() throws Exception {
        Path js = function("broken.js", "function main(params) {\n  return { greeting: 'hi' + params.name\n}\n");
        Path py = function("broken.py", "def main(args)\n    return {\"ok\": True}\n");
        Path folder = Files.createTempDirectory(dir, "zip");
        Files.writeString(folder.resolve("__main__.py"), "def main(args):\n\treturn {\"a\":: 1}\n");
        Path zip = dir.resolve("broken.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("__main__.py"));
            out.write(Files.readAllBytes(folder.resolve("__main__.py")));
        }

        assertRefused(js, "the JavaScript source does not compile: line 3, column 2: SyntaxError: Unexpected end of input");
        assertRefused(py, "the Python source does not compile: line 1, column 15: SyntaxError: expected ':'");
        assertRefused(zip, "the zip archive's __main__.py does not compile: line 2, column 14: SyntaxError: invalid syntax");
        assertThat(cli.run("get", "broken").exitCode()).isEqualTo(1);
    }

    private static void assertRefused(Path file, String why) {
        Cli.Result refused = cli.run("deploy", file.toString(), "--runtime", file.toString().endsWith(".js") ? "nodejs" : "python");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo(file + ": " + why + " (HTTP 400)\n");
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void aJavaFunctionSaysWhichTierItRunsInAndWhy() throws Exception {
        assertThat(ok("deploy", example("Hello.java").toString()).out())
                .matches("deployed Hello \\(java:21\\) as version \\d+\\.\\d+\\.\\d+\ntier: inline\n");
        Path probe = function("Probe.java", "import java.nio.file.*; import java.util.Map; public class Probe {"
                + " public static Map<String, Object> main(Map<String, Object> p) throws Exception {"
                + " return Map.of(\"exists\", Files.exists(Path.of(\"/etc/shadow\"))); } }");
        assertThat(ok("deploy", probe.toString()).out())
                .endsWith("tier: process (Probe.main calls java.nio.file.Path.of)\n");
        assertThat(ok("invoke", "Probe").out()).contains("\"exists\": false");
        Cli.Result refused = cli.run("deploy", probe.toString(), "--tier", "inline");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith(probe + ": the function can't run in the inline tier: Probe.main calls java.nio.file.Path.of");
        assertThat(ok("deploy", example("Hello.java").toString(), "--tier", "process").out())
                .endsWith("tier: process (it was deployed with --tier process)\n");
        assertThat(ok("get", "Hello").out()).contains("tier        process (it was deployed with --tier process)");

        Path manifest = function("cove.yaml", "application: tiered\nfunctions:\n  Greeter: {file: "
                + example("Hello.java").toAbsolutePath() + ", tier: process}\n");
        ok("app", "deploy", manifest.toString());
        assertThat(ok("get", "Greeter").out()).contains("tier        process (it was deployed with --tier process)");
    }

    @Test
    void invokePrintsTheResultAsPrettyJson() throws Exception {
        Path file = function("echo.js", "function main(params) { return params; }");
        ok("deploy", file.toString());

        Cli.Result result = ok("invoke", "echo", "-p", "name", "Ada", "-p", "n", "3", "--data", "{\"tags\": [\"x\"]}");

        assertThat(result.out()).isEqualTo("""
                {
                  "tags": [
                    "x"
                  ],
                  "name": "Ada",
                  "n": 3
                }
                """);
    }

    @Test
    void asyncPrintsTheIdThatActivationAndLogsShow() throws Exception {
        Path file = function("logger.js", "function main(params) { console.log('log line ' + params.n); return {n: params.n}; }");
        ok("deploy", file.toString());

        String id = ok("invoke", "logger", "--async", "-p", "n", "7").out().strip();

        assertThat(id).matches(ID);
        Cli.Result activation = eventually(() -> cli.run("activation", id), result -> result.exitCode() == 0);
        assertThat(activation.exitCode()).as(activation.err()).isZero();
        assertThat(activation.out()).contains("\"activationId\": \"" + id + "\"").contains("\"n\": 7").contains("\"status\": \"success\"");
        assertThat(ok("logs", id).out()).contains("log line 7");
        assertThat(ok("logs", "logger").out()).contains("log line 7");
        assertThat(ok("activations", "logger").out()).startsWith("ID").containsPattern(id + "\\s+logger\\s+0\\.0\\.1\\s+success");
        assertThat(Json.parse(ok("activation", id, "--json").out()).orElseThrow().path("activationId").asText()).isEqualTo(id);
    }

    @Test
    void listGetAndDelete() throws Exception {
        Path file = function("keeper.py", "def main(args):\n    return {'name': args.get('name')}\n");
        ok("deploy", file.toString(), "--timeout", "5s", "--memory", "128", "-p", "name", "Ada", "-e", "MODE=test");

        assertThat(ok("list").out()).startsWith("NAME").containsPattern("(?m)^keeper\\s+0\\.0\\.1\\s+python:");
        assertThat(Json.parse(ok("list", "--json").out()).orElseThrow().isArray()).isTrue();
        assertThat(ok("get", "keeper").out()).contains("timeout 5000 ms, memory 128 MB")
                .contains("parameter   name = \"Ada\"").contains("env         MODE=test").doesNotContain("def main");
        assertThat(ok("get", "keeper", "--code").out()).contains("def main(args):");
        assertThat(ok("delete", "keeper").out()).isEqualTo("deleted keeper\n");

        Cli.Result gone = cli.run("get", "keeper");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("no function named 'keeper' (cove list shows what is deployed)\n");
    }

    @Test
    void theHelloPythonExampleRuns() throws Exception {
        Path hello = example("hello.py");

        ok("deploy", hello.toString(), "--name", "hellopy");

        assertThat(ok("invoke", "hellopy", "-p", "name", "Ada").out()).contains("Hello, Ada!");
    }

    @Test
    void aPackageJsonBesideANodeFileIsInstalledWithAProgressLineAndShownByGet() throws Exception {
        Path numeric = function("numeric.js",
                "const isNumber = require('is-number');\nfunction main(p) { return { number: isNumber(p.v) }; }\n");
        Files.writeString(numeric.resolveSibling("package.json"), "{\"dependencies\": {\"is-number\": \"7.0.0\"}}");

        Cli.Result deployed = cli.run("deploy", numeric.toString());

        assertThat(deployed.exitCode()).as(deployed.err()).isZero();
        assertThat(deployed.err()).matches("installing dependencies…\ndependencies ready in \\d+\\.\\d s\n");
        assertThat(ok("get", "numeric").out()).contains("dependency  is-number@7.0.0\n");
        assertThat(ok("invoke", "numeric", "-p", "v", "\"12\"").out()).contains("\"number\": true");
    }

    @Test
    void aJavaSourceIsCompiledWhenDeployed() throws Exception {
        Path file = function("Greeter.java", """
                import java.util.Map;

                public class Greeter {
                    public static Map<String, Object> main(Map<String, Object> params) {
                        return Map.of("greeting", "Hello, " + params.getOrDefault("name", "world") + "!");
                    }
                }
                """);

        assertThat(ok("deploy", file.toString()).out()).startsWith("deployed Greeter (java:");
        assertThat(ok("invoke", "Greeter", "-p", "name", "Ada").out()).contains("Hello, Ada!");
    }

    @Test
    void theFetchExampleGetsOutboundNetworkButNeverTheServer() throws Exception {
        ok("deploy", example("fetch.py").toString(), "--network", "outbound");
        assertThat(ok("get", "fetch").out()).contains("network outbound");

        Cli.Result api = cli.run("invoke", "fetch", "-p", "url", server.apiHost() + "/api/v1");

        assertThat(api.exitCode()).isEqualTo(1);
        assertThat(api.err()).startsWith("application error: ").contains("Connection refused");
        assertThat(cli.run("deploy", example("fetch.py").toString(), "--network", "anywhere").err())
                .contains("limits.network must be none or outbound, was anywhere");
    }

    @Test
    void theShopApplicationChainsNodePythonAndJava() throws Exception {
        assertThat(ok("app", "deploy", example("shop/cove.yaml").toString()).out())
                .isEqualTo("deployed shop as version 0.0.1: Tax 0.0.1, checkout 0.0.1, price 0.0.1, total 0.0.1\n");
        assertThat(ok("app", "list").out()).containsPattern("shop\\s+0\\.0\\.1\\s+Tax,checkout,price,total\\s+yes");
        assertThat(ok("app", "get", "shop").out()).contains("function    price 0.0.1 (python:3)");
        String result = ok("invoke", "checkout", "-p", "items", "[{\"sku\": \"tea\", \"qty\": 2}, {\"sku\": \"cake\"}]").out();
        assertThat(result).contains("\"total\": 12.61").contains("\"currency\": \"EUR\"");
        String id = ok("activations", "checkout", "--limit", "1").out().lines().skip(1).findFirst().orElseThrow()
                .split(" ")[0];
        String chain = eventually(() -> ok("activations", "--chain", id).out(), out -> out.lines().count() == 6);
        assertThat(chain.lines().skip(1).map(line -> line.split("\\s+")[1]))
                .containsExactly("checkout", "price", "price", "Tax", "Tax");
        assertThat(chain.lines().filter(line -> line.endsWith(id))).hasSize(2);

        String items = "[{\"sku\": \"tea\", \"qty\": 2}, {\"sku\": \"cake\"}]";
        Cli.Result started = cli.run("workflow", "start", "shop", "-p", "items", items);
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(started.out()).contains("\"total\": 12.61");
        assertThat(started.err()).as("the id the tour's next step takes").matches("SUCCEEDED \\(execution " + ID + "\\)\n");
        String succeededId = started.err().replaceAll(".*\\(execution (" + ID + ")\\)\\s*", "$1");
        assertThat(ok("workflow", "execution", succeededId).out()).contains("status      SUCCEEDED");
        Cli.Result refused = cli.run("workflow", "start", "shop", "-p", "items", "[{\"sku\": \"beer\"}]");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).matches("FAILED: BasketRefused: a line of the basket could not be priced \\(execution "
                + ID + "\\)\n");
        String failedId = refused.err().replaceAll(".*\\(execution (" + ID + ")\\)\\s*", "$1");
        assertThat(ok("workflow", "executions", "shop").out().lines().skip(1).map(line -> line.split("\\s+")[2]))
                .containsExactly("FAILED", "SUCCEEDED");
        assertThat(ok("workflow", "execution", failedId).out())
                .contains("status      FAILED").contains("CaughtError").contains("States.TaskFailed: no product named beer");
        assertThat(ok("app", "delete", "shop").out()).isEqualTo("deleted shop and its functions\n");
        assertThat(cli.run("get", "price").err()).contains("no function named 'price'");
    }

    @Test
    void theTilesExampleServesFromItsCacheWhichStatsShowAndClearEmpties() throws Exception {
        ok("app", "deploy", example("tiles/cove.yaml").toString());
        assertThat(ok("invoke", "tile", "-p", "z", "1", "-p", "x", "2", "-p", "y", "3").out()).contains("\"cached\": false");
        assertThat(ok("invoke", "tile", "-p", "z", "1", "-p", "x", "2", "-p", "y", "3").out()).contains("\"cached\": true");
        String stats = ok("cache", "stats", "tile").out();
        assertThat(stats.lines().filter(line -> line.startsWith("tile "))).singleElement().asString()
                .matches("tile\\s+1\\s+1\\s+50%\\s+0\\s+1\\s+\\d+");
        assertThat(ok("cache", "clear", "tile").out()).isEqualTo("cleared the cache of tile\n");
        assertThat(ok("invoke", "tile", "-p", "z", "1", "-p", "x", "2", "-p", "y", "3").out()).contains("\"cached\": false");
        assertThat(cli.run("cache", "stats", "nothing-here").err()).contains("no function named 'nothing-here'");
    }

    @Test
    void aManifestWithAMisspeltFieldIsRefusedBeforeAnythingIsSent() throws Exception {
        Path manifest = function("cove.yaml", "application: typo\nfunctions:\n  f: {fiel: f.js}\n");
        Cli.Result result = cli.run("app", "deploy", manifest.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("cove.yaml: functions.f: unknown field 'fiel' (expected file, runtime,"
                + " main, tier, dependencies, limits, parameters, env, labels)\n");
        assertThat(cli.run("app", "get", "typo").err()).contains("no application named 'typo'");
    }

    @Test
    void aFailedActivationIsOneLineOnStderrAndExitsOne() throws Exception {
        ok("deploy", function("picky.js", "function main(p) { return p.name ? {ok: true} : {error: 'no name given'}; }").toString());
        ok("deploy", function("thrower.js", "function main() { throw new Error('boom'); }").toString());

        Cli.Result applicationError = cli.run("invoke", "picky");
        Cli.Result developerError = cli.run("invoke", "thrower");

        assertThat(applicationError.exitCode()).isEqualTo(1);
        assertThat(applicationError.out()).isEmpty();
        assertThat(applicationError.err()).matches("application error: no name given \\(activation " + ID + "\\)\n");
        assertThat(developerError.exitCode()).isEqualTo(1);
        assertThat(developerError.err()).startsWith("action developer error: ").contains("boom").hasLineCount(1);
        assertThat(cli.run("invoke", "picky", "--json").exitCode()).isEqualTo(1);
    }

    @Test
    void aFunctionThatDoesNotExist() {
        for (String[] command : new String[][] {{"invoke", "nosuch"}, {"get", "nosuch"}, {"delete", "nosuch"}}) {
            Cli.Result result = cli.run(command);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("no function named 'nosuch' (cove list shows what is deployed)\n");
        }
        Cli.Result activation = cli.run("activation", "0123456789abcdef0123456789abcdef");
        assertThat(activation.exitCode()).isEqualTo(1);
        assertThat(activation.err()).startsWith("no activation with id '0123456789abcdef0123456789abcdef'");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(cli.run("invoke").exitCode()).isEqualTo(2);
        assertThat(cli.run("deploy", "x.js", "--timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(cli.run("list", "--frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void wrongCredentialsAreRefused() {
        Cli.Result result = cli.run("list", "--auth", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("the server refused the credentials - check COVE_AUTH or run ./cove up again\n");
    }

    @Test
    void followPrintsNewLogLinesAsTheyCome() throws Exception {
        ok("deploy", function("chatty.js", "function main(p) { console.log('said ' + p.word); return {}; }").toString());
        ok("invoke", "chatty", "-p", "word", "before");
        eventually(() -> cli.run("activations", "chatty").out(), out -> out.contains("success"));

        Cli.Running follow = cli.start("logs", "chatty", "--follow");
        eventually(follow::out, out -> out.contains("said before"));
        ok("invoke", "chatty", "-p", "word", "one");
        ok("invoke", "chatty", "-p", "word", "two");
        eventually(follow::out, out -> out.contains("said two"));
        Cli.Result result = follow.stop();

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsSubsequence("said before", "said one", "said two");
        assertThat(result.out().split("said before", -1)).hasSize(2);
    }

    @Test
    void upOnABusyPortSaysSoInOneLine() {
        Cli.Result result = Cli.with(Map.of(), dir.resolve("busy-config.json"))
                .run("up", "--port", String.valueOf(server.port()), "--data", dir.resolve("busy").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).hasLineCount(1).contains(String.valueOf(server.port()));
        assertThat(dir.resolve("busy-config.json")).doesNotExist();
    }

    @Test
    void upWritesTheConfigThatTheOtherCommandsUse() throws Exception {
        Path config = dir.resolve("up-config.json");
        Cli fromConfig = Cli.with(Map.of(), config);

        Cli.Running up = fromConfig.start("up", "--port", "0", "--data", dir.resolve("up-data").toString());
        eventually(() -> Files.exists(config) && up.out().contains("Ctrl-C"), Boolean::booleanValue);
        Cli.Result list = fromConfig.run("list");
        Cli.Result stopped = up.stop();

        assertThat(up.out()).startsWith("Cove is running at http://127.0.0.1:").contains("auth").contains("runtimes");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo("no functions deployed (cove deploy FILE adds one)\n");
        assertThat(stopped.exitCode()).isZero();
        assertThat(ConfigFile.read(config).auth()).isPresent();
    }

    @Test
    void aTriggerFiresItsRulesFunctionAndShowsItsSchedule() throws Exception {
        ok("deploy", function("techo.js", "function main(p) { return p; }").toString());

        assertThat(ok("trigger", "create", "tcli", "-p", "from", "trigger").out()).isEqualTo("created trigger tcli as version 0.0.1\n");
        assertThat(ok("rule", "create", "tcli-rule", "tcli", "techo").out())
                .isEqualTo("created rule tcli-rule: tcli -> techo (active)\n");
        assertThat(ok("trigger", "fire", "tcli", "{\"n\": 1}").out().strip()).matches(ID);
        String ran = eventually(() -> cli.run("activations", "techo").out(), out -> out.contains("success"));
        assertThat(ran).contains("techo");
        assertThat(ok("rule", "disable", "tcli-rule").out()).isEqualTo("rule tcli-rule: tcli -> techo (inactive)\n");
        assertThat(ok("trigger", "fire", "tcli").out()).isEqualTo("trigger tcli has no active rule: nothing ran\n");
        assertThat(ok("trigger", "update", "tcli", "--cron", "0 9 * * *", "--timezone", "Europe/Paris").out())
                .matches("updated trigger tcli as version 0\\.0\\.2, next fire \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00\n");

        assertThat(ok("trigger", "get", "tcli").out()).contains("parameter   from = \"trigger\"\n")
                .contains("schedule    cron 0 9 * * * (Europe/Paris)\n").contains("next fire   ")
                .contains("rule        tcli-rule -> techo (inactive)\n");
        assertThat(ok("trigger", "list").out()).containsPattern("(?m)^tcli +0\\.0\\.2 +cron 0 9 \\* \\* \\* \\(Europe/Paris\\) +\\d{4}-");
        assertThat(ok("rule", "list").out()).containsPattern("(?m)^tcli-rule +inactive +tcli +techo$");
        assertThat(ok("rule", "delete", "tcli-rule").out()).isEqualTo("deleted rule tcli-rule\n");
        assertThat(ok("trigger", "delete", "tcli").out()).isEqualTo("deleted trigger tcli\n");
    }

    @Test
    void triggerAndRuleRefusalsAreOneLine() throws Exception {
        ok("trigger", "create", "trefused");

        assertFails(cli.run("trigger", "create", "trefused"),
                "a trigger named 'trefused' exists already - cove trigger update changes it, --overwrite replaces it");
        assertFails(cli.run("rule", "create", "rrefused", "trefused", "nofunction"),
                "The function nofunction does not exist. (HTTP 404)");
        assertFails(cli.run("trigger", "fire", "nothere"), "no trigger named 'nothere' (cove trigger list shows them)");
        assertFails(cli.run("rule", "enable", "nothere"), "no rule named 'nothere' (cove rule list shows them)");
        assertThat(cli.run("trigger", "create", "tbadcron", "--cron", "nope").err())
                .startsWith("The cron expression 'nope' is not valid: it has 1 field,");
    }

    @Test
    void aMessagePublishedOnATopicFiresItsTriggersRuleOnce() throws Exception {
        ok("deploy", function("tpecho.js", "function main(p) { return p; }").toString());
        ok("trigger", "create", "tptopic", "--topic", "cli_topic");
        ok("rule", "create", "tptopic-rule", "tptopic", "tpecho");

        assertThat(ok("publish", "cli_topic", "{\"n\": 1}", "-p", "m", "2", "--event-id", "cli-e1").out())
                .isEqualTo("event cli-e1: fired 1 trigger\n");
        assertThat(ok("publish", "cli_topic", "{\"n\": 1}", "--event-id", "cli-e1").out())
                .startsWith("event cli-e1: duplicate: nothing fired");
        String ran = eventually(() -> ok("activations", "tpecho").out(), out -> out.contains("success"));
        String id = ran.lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        assertThat(ok("activation", id).out()).contains("\"n\": 1").contains("\"m\": 2");
        assertThat(ok("trigger", "get", "tptopic").out()).contains("topic       cli_topic\n")
                .contains("rule        tptopic-rule -> tpecho (active)\n");
        assertThat(ok("trigger", "list").out()).containsPattern("(?m)^tptopic +0\\.0\\.1 +cli_topic\\s*$");

        ok("trigger", "update", "tptopic", "--no-topic");
        assertThat(ok("trigger", "get", "tptopic").out()).doesNotContain("topic       ");
        assertThat(ok("publish", "cli_topic").out()).matches("event \\S+: fired no trigger \\(cove trigger create NAME"
                + " --topic cli_topic adds one\\)\n");
    }

    @Test
    void aSelectorRuleInvokesTheFunctionsWhoseLabelsMatch() throws Exception {
        ok("deploy", function("tslabelled.js", "function main(p) { return {labelled: true}; }").toString(),
                "--label", "team=cli", "-l", "created-by=cove");
        ok("deploy", function("tsother.js", "function main(p) { return {labelled: false}; }").toString(),
                "--label", "team=other");
        assertThat(ok("get", "tslabelled").out()).contains("label       created-by=cove\n").contains("label       team=cli\n");
        Path manifest = function("cove.yaml", "application: tslabels\nfunctions:\n  tsmanifest: {file: "
                + example("hello.js").toAbsolutePath() + ", labels: {team: cli, created-by: manifest}}\n");
        ok("app", "deploy", manifest.toString());
        assertThat(ok("get", "tsmanifest").out()).contains("label       created-by=manifest\n").contains("label       team=cli\n");
        ok("trigger", "create", "tsel");

        assertThat(ok("rule", "create", "tsel-rule", "tsel", "--function-selector", "team=cli,created-by").out())
                .isEqualTo("created rule tsel-rule: tsel -> functions where team=cli,created-by (active)\n");
        assertThat(ok("rule", "get", "tsel-rule").out()).contains("selector    team=cli,created-by\n")
                .doesNotContain("function    ");
        assertThat(ok("rule", "list").out()).containsPattern("(?m)^tsel-rule +active +tsel +functions where team=cli,created-by$");
        assertThat(ok("trigger", "fire", "tsel").out().strip()).matches(ID);
        assertThat(eventually(() -> ok("activations", "tslabelled").out(), out -> out.contains("success")))
                .contains("success");
        assertThat(ok("activations", "tsother").out()).startsWith("no activations of 'tsother'");

        Cli.Result nothing = cli.run("rule", "create", "tsel-none", "tsel", "--function-selector", "team=nobody");
        assertThat(nothing.exitCode()).as(nothing.err()).isZero();
        assertThat(nothing.out()).startsWith("created rule tsel-none: ");
        assertThat(nothing.err()).startsWith("warning: ").hasLineCount(1);
    }

    @Test
    void anHttpTriggerRoutesItsPathToItsFunction() throws Exception {
        ok("deploy", function("troute.js", "function main(p) { return {method: p.__ow_method, name: p.name}; }").toString());

        ok("trigger", "create", "troute", "--http", "/cli-route", "--method", "GET", "--method", "post", "--function",
                "troute");
        assertThat(ok("trigger", "get", "troute").out()).contains("http        GET,POST /cli-route -> troute\n");
        assertThat(ok("trigger", "list").out()).containsPattern("(?m)^troute +0\\.0\\.1 +GET,POST /cli-route -> troute\\s*$");

        HttpResponse<String> get = request("GET", "/cli-route?name=Ada", "");
        HttpResponse<String> post = request("POST", "/cli-route", "{\"name\": \"Grace\"}");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body().toLowerCase()).contains("\"method\":\"get\"").contains("ada");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(post.body().toLowerCase()).contains("\"method\":\"post\"").contains("grace");
        assertThat(request("PUT", "/cli-route", "{}").statusCode()).isNotEqualTo(200);

        ok("trigger", "update", "troute", "--no-http");
        assertThat(ok("trigger", "get", "troute").out()).doesNotContain("http        ");
        assertThat(request("GET", "/cli-route", "").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> request(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.apiHost() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertFails(Cli.Result result, String line) {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(line + "\n");
    }
}
