package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The part of the runtime conformance suite ({@link RuntimeConformanceIT}) that OpenWhisk's own node
 * and python functions count on, beyond the function shapes: entry points that name a file of a zip,
 * the working directory, the packages and flags OpenWhisk's node runtime gives every function, and
 * its check of a python zip's virtualenv. The functions are under src/test/resources/conventions.
 */
class RuntimeConventionsIT {
    static final Path FUNCTIONS = Path.of("src/test/resources/conventions");

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

    /** Deploys a folder of conventions/ as a zip, with that entry point ({@code main} when empty). */
    static TestCove.Answer deployZip(String runtime, String folder, String main) throws Exception {
        ObjectNode body = TestCove.object();
        ObjectNode exec = body.putObject("exec").put("kind", runtime + ":default").put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(RuntimeConformanceIT.zip(FUNCTIONS.resolve(runtime)
                        .resolve(folder))));
        if (!main.isEmpty()) {
            exec.put("main", main);
        }
        return cove.put("/api/v1/namespaces/_/actions/" + name(runtime, folder) + "?overwrite=true", body);
    }

    /** Deploys a source file of conventions/, with that entry point ({@code main} when empty). */
    static String deployFile(String runtime, String file, String main) throws Exception {
        ObjectNode extra = TestCove.object();
        if (!main.isEmpty()) {
            extra.putObject("exec").put("main", main);
        }
        String name = name(runtime, file);
        TestCove.Answer answer = cove.deploy(name, runtime + ":default", Files.readString(FUNCTIONS.resolve(runtime)
                .resolve(file)), extra);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return name;
    }

    static String name(String runtime, String function) {
        return runtime + "-" + function.replace('.', '-');
    }

    static JsonNode result(TestCove.Answer answer) {
        return answer.json().path("response").path("result");
    }

    static JsonNode invoked(String name, ObjectNode params) throws Exception {
        TestCove.Answer answer = cove.invoke(name, params);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return result(answer);
    }

    // ---- node entry points: file.function[.more] ----

    /** The first part of a dotted entry point names the zip's module, the rest a path through its exports. */
    @ParameterizedTest
    @CsvSource({
        "named-file, other.greet, hello Ada from other.js",
        "nested-main, other.api.greet, hello Ada from other.api.greet",
    })
    void aZipsEntryPointMayNameItsFileAndAFunctionInIt(String folder, String main, String greeting) throws Exception {
        TestCove.Answer deployed = deployZip("nodejs", folder, main);
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(invoked(name("nodejs", folder), TestCove.object().put("name", "Ada")).path("greeting").asText())
                .isEqualTo(greeting);
    }

    @ParameterizedTest
    @CsvSource({
        "'', index.js",
        "alt, 'index.js, alt'",
        "other.main, other.js",
    })
    void aNamedFileTakesThePlaceOfPackageJsonsMain(String main, String from) throws Exception {
        TestCove.Answer deployed = deployZip("nodejs", "override", main);
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(invoked(name("nodejs", "override"), TestCove.object()).path("from").asText()).isEqualTo(from);
    }

    @Test
    void aZipWithNeitherPackageJsonNorIndexJsIsRefusedUnlessItsEntryPointNamesAFile() throws Exception {
        TestCove.Answer refused = deployZip("nodejs", "named-file", "greet");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).contains("neither package.json nor index.js");
        assertThat(deployZip("nodejs", "not-an-action", "").status()).isEqualTo(400);
    }

    @Test
    void anEntryPointNamingAFileTheZipLacksFailsAtInit() throws Exception {
        assertThat(deployZip("nodejs", "named-file", "missing.greet").status()).isEqualTo(200);
        TestCove.Answer answer = cove.invoke(name("nodejs", "named-file"), TestCove.object());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(result(answer).path("error").asText()).startsWith("The function failed to initialise: ")
                .contains("Cannot find module");
    }

    @Test
    void aSourceFilesDottedEntryPointIsAPathFromATopLevelValue() throws Exception {
        String name = deployFile("nodejs", "dotted.js", "api.greet");
        assertThat(invoked(name, TestCove.object().put("name", "Ada")).path("greeting").asText())
                .isEqualTo("hello Ada from api.greet");
    }

    // ---- the working directory ----

    @Test
    void aNodeZipRunsInItsOwnFolderWhichStaysReadOnlyBesideAWritableTmp() throws Exception {
        assertThat(deployZip("nodejs", "cwd", "").status()).isEqualTo(200);
        JsonNode result = invoked(name("nodejs", "cwd"), TestCove.object());
        assertThat(result.path("read").asText()).isEqualTo("text shipped in the zip");
        assertThat(result.path("cwdIsItsFolder").asBoolean()).isTrue();
        assertThat(result.path("wroteBeside").asText()).isEqualTo("EROFS");
        assertThat(result.path("tmp").asText()).isEqualTo("scratch");
    }

    @Test
    void aPythonZipReadsItsOwnFilesByRelativePaths() throws Exception {
        assertThat(deployZip("python", "workfile", "").status()).isEqualTo(200);
        JsonNode result = invoked(name("python", "workfile"), TestCove.object());
        assertThat(result.path("file").asText()).isEqualTo("a line the zip carries");
        assertThat(result.path("cwdIsItsFolder").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"nodejs, cwd.js", "python, cwd.py"})
    void aSourceFileRunsInTheFolderThatHoldsIt(String runtime, String file) throws Exception {
        JsonNode result = invoked(deployFile(runtime, file, ""), TestCove.object());
        assertThat(result.path("cwdIsItsFolder").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.path("sees")).hasSize(1);
    }

    // ---- what OpenWhisk's node runtime gives every function ----

    @Test
    void nodeFunctionsCanRequireOpenWhisksClientAtTheVersionItsRuntimeShips() throws Exception {
        JsonNode result = invoked(deployFile("nodejs", "openwhisk.js", ""), TestCove.object());
        assertThat(result.path("version").asText())
                .as("the version of runtimes/node/package.json, which ./test installs").isEqualTo("3.21.8");
        assertThat(result.path("invoke").asText()).isEqualTo("function");
        assertThat(result.path("triggers").asText()).isEqualTo("function");
    }

    @Test
    void aFunctionsOwnNodeModulesComeBeforeTheRuntimes() throws Exception {
        assertThat(deployZip("nodejs", "own-openwhisk", "").status()).isEqualTo(200);
        JsonNode result = invoked(name("nodejs", "own-openwhisk"), TestCove.object());
        assertThat(result.path("version").asText()).isEqualTo("2.0.0-own");
        assertThat(result.path("own").asBoolean()).isTrue();
    }

    @Test
    void requiringAPackageNobodyHasIsTheDevelopersError() throws Exception {
        TestCove.Answer answer = cove.invoke(deployFile("nodejs", "missing-package.js", ""), TestCove.object());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(result(answer).path("error").asText()).contains("Cannot find module '.no-package-can-have-this-name'");
    }

    @Test
    void nodeFunctionsCanCollectGarbageThemselves() throws Exception {
        JsonNode result = invoked(deployFile("nodejs", "gc.js", ""), TestCove.object().put("blocks", 32));
        assertThat(result.path("gc").asText()).isEqualTo("function");
        assertThat(result.path("filled").asInt()).isEqualTo(32);
    }

    // ---- a python zip's virtualenv ----

    @ParameterizedTest
    @CsvSource({"''", "niam"})
    void aPythonZipsVirtualenvPackagesCanBeImported(String main) throws Exception {
        TestCove.Answer deployed = deployZip("python", "venv", main);
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(invoked(name("python", "venv"), TestCove.object().put("name", "Ada")).path("greeting").asText())
                .isEqualTo("hello Ada from the virtualenv");
    }

    /** As OpenWhisk's python runtime: a virtualenv folder without activate_this.py fails the init. */
    @Test
    void aPythonZipWithAnInvalidVirtualenvFailsAtInit() throws Exception {
        TestCove.Answer deployed = deployZip("python", "bad-venv", "");
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        TestCove.Answer answer = cove.invoke(name("python", "bad-venv"), TestCove.object());
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().path("statusCode").asInt()).isEqualTo(2);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(result(answer).path("error").asText()).isEqualTo("The function failed to initialise: "
                + "Invalid virtualenv. Zip file does not include 'activate_this.py'.");
        assertThat(result(answer).size()).as("a result of one field, error").isEqualTo(1);
    }
}
