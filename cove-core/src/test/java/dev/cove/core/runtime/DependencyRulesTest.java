package dev.cove.core.runtime;

import dev.cove.core.model.Dependencies;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DependencyRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "covetiny==1.0", "requests>=2 ; python_version >= '3.8'  # a comment", "# only a comment\n\n",
        "numpy\\\n  ==1.26", "Flask[async]~=3.0",
    })
    void requirementsOfTheIndexAreInstalled(String requirements) {
        assertThat(DependencyRules.refusal(Kind.PYTHON, new Dependencies(requirements))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-r /etc/passwd                        | '-r /etc/passwd', which Cove does not install: pip's options are the operator's (cove up --pip-index-url, --pip-find-links); list only requirements",
        "--index-url http://evil/simple        | '--index-url http://evil/simple', which Cove does not install: pip's options are the operator's (cove up --pip-index-url, --pip-find-links); list only requirements",
        "ok==1\\n-e git+https://x/y.git#egg=y    | '-e git+https://x/y.git#egg=y', which Cove does not install: pip's options",
        "/root/secret.whl                      | '/root/secret.whl', which Cove does not install: a file or folder of the host; name packages of the package index",
        "./mine                                | './mine', which Cove does not install: a file or folder of the host",
        "x @ file:///etc/x.whl                 | 'x @ file:///etc/x.whl', which Cove does not install: a file or folder of the host",
        "x @ https://example.com/x.whl         | 'x @ https://example.com/x.whl', which Cove does not install: a URL; packages come from the package index the server is given",
    })
    void pipOptionsFilesAndUrlsAreRefused(String requirements, String said) {
        assertThat(DependencyRules.refusal(Kind.PYTHON, new Dependencies(requirements.replace("\\n", "\n"))))
                .hasValueSatisfying(why -> assertThat(why).startsWith("The dependencies' requirements.txt names ")
                        .contains(said));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"dependencies\": {\"mine\": \"file:../mine\"}}         | 'mine: file:../mine'",
        "{\"optionalDependencies\": {\"l\": \"link:/srv/l\"}}     | 'l: link:/srv/l'",
        "{\"devDependencies\": {\"t\": \"../t\"}}                 | 't: ../t'",
        "{\"workspaces\": [\"a\"], \"dependencies\": {}}          | 'workspaces'",
    })
    void nodeDependenciesOnTheHostsFilesAreRefused(String packageJson, String named) {
        assertThat(DependencyRules.refusal(Kind.NODEJS, new Dependencies(packageJson)))
                .hasValueSatisfying(why -> assertThat(why).startsWith("The dependencies' package.json names '" + named
                        + "', which Cove does not install: "));
    }

    @Test
    void nodeDependenciesOfTheRegistryAreInstalled() {
        assertThat(DependencyRules.refusal(Kind.NODEJS, new Dependencies(
                "{\"dependencies\": {\"is-number\": \"^7.0.0\", \"x\": \"npm:left-pad@1\", \"g\": \"github:a/b\"}}")))
                .isEmpty();
    }

    @Test
    void anInstallationIsKeyedByRuntimeListAndPipsSources() {
        Path root = Path.of("/nonexistent");
        PackageInstalls pypi = new PackageInstalls(root, PackageSources.DEFAULT, PackageInstalls.TIME_LIMIT);
        PackageInstalls wheels = new PackageInstalls(root, new PackageSources("", "/srv/wheels"), PackageInstalls.TIME_LIMIT);
        Dependencies list = new Dependencies("covetiny\n");
        assertThat(pypi.key(Kind.PYTHON, list)).matches("deps-[0-9a-f]{32}").isEqualTo(pypi.key(Kind.PYTHON, list))
                .isNotEqualTo(wheels.key(Kind.PYTHON, list)).isNotEqualTo(pypi.key(Kind.NODEJS, new Dependencies("{}")))
                .isNotEqualTo(pypi.key(Kind.PYTHON, new Dependencies("covetiny==1\n")));
        assertThat(pypi.key(Kind.NODEJS, new Dependencies("{}"))).as("npm's sources are npm's own")
                .isEqualTo(wheels.key(Kind.NODEJS, new Dependencies("{}")));
    }

    @Test
    void pipLooksOnlyWhereTheOperatorSays() {
        assertThat(PackageSources.DEFAULT.pipArguments()).isEmpty();
        assertThat(new PackageSources("", "/srv/wheels").pipArguments())
                .isEqualTo(List.of("--no-index", "--find-links", "/srv/wheels"));
        assertThat(new PackageSources("https://pypi.example/simple", "/srv/wheels").pipArguments())
                .isEqualTo(List.of("--index-url", "https://pypi.example/simple", "--find-links", "/srv/wheels"));
        PackageInstalls installs = new PackageInstalls(Path.of("/d"), new PackageSources("", "/w"), PackageInstalls.TIME_LIMIT);
        assertThat(installs.command(Kind.PYTHON, Path.of("/usr/bin/python3"), Path.of("/d/s"))).containsSubsequence(
                "/usr/bin/python3", "-I", "-m", "pip", "install", "--target", "/d/s/site-packages",
                "--requirement", "/d/s/requirements.txt", "--only-binary=:all:", "--no-index", "--find-links", "/w");
        assertThat(installs.command(Kind.NODEJS, Path.of("/usr/bin/npm"), Path.of("/d/s")))
                .startsWith("/usr/bin/npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts");
    }
}
