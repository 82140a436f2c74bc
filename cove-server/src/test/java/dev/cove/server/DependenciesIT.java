package dev.cove.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.PackageSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Functions with their dependencies (docs/functions.md, "Dependencies"): a real pip installs from a
 * folder of wheels this test builds, a real npm from its registry, into sandboxes of bubblewrap.
 */
class DependenciesIT {
    static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    static final String INSTALLS_LOGGER = "dev.cove.core.runtime.PackageInstalls";
    static final String SHOUTER = """
            import covetiny

            def main(args):
                return {"said": covetiny.shout(args.get("word", "hi"))}
            """;
    static final String PYTHON_PROBE = """
            def main(args):
                try:
                    import covetiny
                    return {"imported": True}
                except ImportError as e:
                    return {"imported": False, "why": str(e)}
            """;
    static final String IS_NUMBER = """
            const isNumber = require('is-number');
            function main(p) { return { number: isNumber(p.value) }; }
            """;
    static final String NODE_PROBE = """
            function main() {
              try { require('is-number'); return { required: true }; }
              catch (e) { return { required: false, why: e.code }; }
            }
            """;

    @TempDir
    static Path dir;
    static TestCove cove;
    static final ListAppender<ILoggingEvent> installs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Path wheels = buildWheel(dir.resolve("wheel-src"), Files.createDirectories(dir.resolve("wheels")));
        Logger log = (Logger) LoggerFactory.getLogger(INSTALLS_LOGGER);
        log.setLevel(Level.INFO); // each installation is logged at INFO, and counted here
        log.setAdditive(false);
        installs.start();
        log.addAppender(installs);
        cove = new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir.resolve("data"))
                .withStemCellsPerRuntime(1).withPackageSources(new PackageSources("", wheels.toString())));
    }

    @AfterAll
    static void stop() {
        cove.close();
        ((Logger) LoggerFactory.getLogger(INSTALLS_LOGGER)).detachAppender(installs);
    }

    /** A package of one module, covetiny, built into a wheel by Debian's pip, offline. */
    static Path buildWheel(Path source, Path wheels) throws Exception {
        Files.createDirectories(source.resolve("covetiny"));
        Files.writeString(source.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "covetiny"
                version = "1.0"
                """);
        Files.writeString(source.resolve("covetiny/__init__.py"), "def shout(word):\n    return word.upper() + '!'\n");
        ProcessBuilder build = new ProcessBuilder("/usr/bin/python3", "-I", "-m", "pip", "wheel", "--no-deps",
                "--no-build-isolation", "--no-index", "--disable-pip-version-check", "-w", wheels.toString(),
                source.toString()).redirectErrorStream(true);
        build.environment().clear();
        build.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()));
        Process process = build.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("pip wheel ended").isTrue();
        assertThat(process.exitValue()).as(output.join()).isZero();
        return wheels;
    }

    static ObjectNode dependencies(String text) {
        ObjectNode extra = TestCove.object();
        extra.putObject("exec").put("dependencies", text);
        return extra;
    }

    static JsonNode result(TestCove.Answer answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.json().path("response").path("result");
    }

    /** The installations of a list's text: the folders under deps/ that hold it. */
    static List<Path> installationsOf(String fileName, String text) throws IOException {
        try (Stream<Path> all = Files.list(dir.resolve("data").resolve("deps"))) {
            return all.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> text.equals(readOrEmpty(p.resolve(fileName)))).toList();
        }
    }

    static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static long installsLogged(String family) {
        return installs.list.stream().filter(e -> e.getFormattedMessage().startsWith("installed the " + family)).count();
    }

    @Test
    void aPythonFunctionImportsAPackageFromTheOperatorsWheels() throws Exception {
        TestCove.Answer deployed = cove.deploy("shouter", "python:3", SHOUTER, dependencies("covetiny==1.0\n"));
        assertThat(deployed.status()).as(deployed.raw().body()).isEqualTo(200);
        assertThat(deployed.json().path("exec").path("dependencies").asText()).isEqualTo("covetiny==1.0\n");
        assertThat(result(cove.invoke("shouter", TestCove.object().put("word", "cove"))).path("said").asText())
                .isEqualTo("COVE!");
        assertThat(cove.get(ACTIONS + "shouter?code=false").json().path("exec").path("dependencies").asText())
                .isEqualTo("covetiny==1.0\n");
    }

    @Test
    void aNodeFunctionRequiresAPackageFromNpm() throws Exception {
        String packageJson = "{\"dependencies\": {\"is-number\": \"7.0.0\"}}";
        TestCove.Answer deployed = cove.deploy("numeric", "nodejs:default", IS_NUMBER, dependencies(packageJson));
        assertThat(deployed.status()).as(deployed.raw().body()).isEqualTo(200);
        assertThat(result(cove.invoke("numeric", TestCove.object().put("value", "42"))).path("number").asBoolean())
                .isTrue();
        assertThat(result(cove.invoke("numeric", TestCove.object().put("value", "forty"))).path("number").asBoolean())
                .isFalse();
    }

    @Test
    void aRequirementPipCantFindFailsTheDeployWithPipsOwnWords() throws Exception {
        TestCove.Answer refused = cove.deploy("wanting", "python:3", SHOUTER, dependencies("nosuchpkg-cove==9.9\n"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText())
                .startsWith("Installing the dependencies failed: pip ended with exit status 1.")
                .contains("No matching distribution found for nosuchpkg-cove==9.9");
        assertThat(cove.get(ACTIONS + "wanting").status()).isEqualTo(404);
    }

    @Test
    void aListNamingAFileOfTheHostIsRefusedBeforePipRuns() throws Exception {
        TestCove.Answer refused = cove.deploy("sneaky", "python:3", SHOUTER, dependencies("-r /etc/passwd\n"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).startsWith(
                "The dependencies' requirements.txt names '-r /etc/passwd', which Cove does not install");
    }

    @Test
    void theSameListDeployedTwiceAndAtOnceIsInstalledOnce() throws Exception {
        String twins = "covetiny\n# the twins' own list\n";
        long before = installsLogged("python");
        List<CompletableFuture<TestCove.Answer>> deploys = Stream.of("twin-a", "twin-b")
                .map(name -> CompletableFuture.supplyAsync(() -> deploy(name, twins))).toList();
        for (CompletableFuture<TestCove.Answer> deploy : deploys) {
            assertThat(deploy.get(2, TimeUnit.MINUTES).status()).isEqualTo(200);
        }
        List<Path> installed = installationsOf("requirements.txt", twins);
        assertThat(installed).hasSize(1);
        Object logKey = Files.readAttributes(installed.get(0).resolve("install.log"),
                BasicFileAttributes.class).fileKey();

        assertThat(deploy("twin-a", twins).json().path("version").asText()).isEqualTo("0.0.2");
        assertThat(Files.readAttributes(installed.get(0).resolve("install.log"),
                BasicFileAttributes.class).fileKey()).isEqualTo(logKey);
        assertThat(installsLogged("python") - before).as("installations of the twins' list").isEqualTo(1);
        assertThat(result(cove.invoke("twin-b", TestCove.object())).path("said").asText()).isEqualTo("HI!");
    }

    @Test
    void aFunctionWithoutDependenciesCantImportAnothersPackages() throws Exception {
        assertThat(cove.deploy("owner", "python:3", SHOUTER, dependencies("covetiny==1.0\n")).status()).isEqualTo(200);
        assertThat(result(cove.invoke("owner", TestCove.object())).path("said").asText()).isEqualTo("HI!");
        assertThat(cove.deploy("python-probe", "python:3", PYTHON_PROBE, TestCove.object()).status()).isEqualTo(200);
        JsonNode python = result(cove.invoke("python-probe", TestCove.object()));
        assertThat(python.path("imported").asBoolean()).as(python.toString()).isFalse();
        assertThat(python.path("why").asText()).isEqualTo("No module named 'covetiny'");

        String packageJson = "{\"dependencies\": {\"is-number\": \"7.0.0\"}}";
        assertThat(cove.deploy("node-owner", "nodejs:default", IS_NUMBER, dependencies(packageJson)).status())
                .isEqualTo(200);
        assertThat(result(cove.invoke("node-owner", TestCove.object().put("value", 1))).path("number").asBoolean())
                .isTrue();
        assertThat(cove.deploy("node-probe", "nodejs:default", NODE_PROBE, TestCove.object()).status()).isEqualTo(200);
        JsonNode node = result(cove.invoke("node-probe", TestCove.object()));
        assertThat(node.path("required").asBoolean()).as(node.toString()).isFalse();
        assertThat(node.path("why").asText()).isEqualTo("MODULE_NOT_FOUND");
    }

    private static TestCove.Answer deploy(String name, String requirements) {
        try {
            return cove.deploy(name, "python:3", SHOUTER, dependencies(requirements));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
