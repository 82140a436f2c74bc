package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimesTest {

    @TempDir
    Path dir;

    /** A zip with these entries; a name ending in / is a folder. */
    private Path zip(String name, String... entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    zip.write("x".getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    @ParameterizedTest
    @CsvSource({
        "hello.js, nodejs",
        "hello.mjs, nodejs",
        "HELLO.JS, nodejs",
        "hello.py, python",
        "Hello.java, java",
        "hello.jar, java",
        "my.hello.js, nodejs",
    })
    void theExtensionNamesTheRuntime(String file, String runtime) {
        assertThat(Runtimes.infer(dir.resolve(file))).isEqualTo(runtime);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello.txt", "hello", ".js", "hello.ts"})
    void anUnknownExtensionAsksForRuntime(String file) {
        assertThatThrownBy(() -> Runtimes.infer(dir.resolve(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot tell the runtime of " + file
                        + " from its extension (.js, .py, .java, .jar, .zip) - pass --runtime");
    }

    @Test
    void aZipWithPackageJsonIsNode() throws IOException {
        assertThat(Runtimes.infer(zip("app.zip", "package.json", "node_modules/", "node_modules/x/index.js")))
                .isEqualTo("nodejs");
    }

    @Test
    void aZipWithAJavaScriptFileAtItsRootIsNode() throws IOException {
        assertThat(Runtimes.infer(zip("app.zip", "index.js"))).isEqualTo("nodejs");
    }

    @Test
    void aZipWithMainPyIsPython() throws IOException {
        assertThat(Runtimes.infer(zip("app.zip", "__main__.py", "virtualenv/lib/site.js"))).isEqualTo("python");
    }

    @Test
    void onlyTheRootCounts() throws IOException {
        Path file = zip("nested.zip", "app/", "app/package.json", "app/__main__.py");

        assertThatThrownBy(() -> Runtimes.infer(file))
                .hasMessage("cannot tell the runtime of nested.zip: its root has no package.json or .js file (nodejs)"
                        + " and no __main__.py (python) - pass --runtime");
    }

    @Test
    void aZipWithBothAsksForRuntime() throws IOException {
        Path file = zip("both.zip", "__main__.py", "package.json");

        assertThatThrownBy(() -> Runtimes.infer(file)).hasMessageContaining("both __main__.py").hasMessageEndingWith("pass --runtime");
    }

    @Test
    void aFileThatIsNoZipSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("fake.zip"), "not a zip");

        assertThatThrownBy(() -> Runtimes.infer(file)).hasMessage("fake.zip is not a readable zip archive");
    }

    @ParameterizedTest
    @CsvSource({
        "nodejs, nodejs:default",
        "python, python:default",
        "java, java:default",
        "Python, python:default",
        "nodejs:20, nodejs:20",
        "python:3, python:3",
        "java:21, java:21",
        "nodejs:default, nodejs:default",
    })
    void aRuntimeNameMeansItsDefaultKind(String runtime, String kind) {
        assertThat(Runtimes.kind(runtime)).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "ruby", "ruby:3", "nodejs:", ":20", ""})
    void anUnknownRuntimeIsRefused(String runtime) {
        assertThatThrownBy(() -> Runtimes.kind(runtime))
                .hasMessage("unknown runtime '" + runtime + "' - use nodejs, python, java, or a kind like nodejs:20");
    }

    @Test
    void theNameIsTheFileNameWithoutItsExtension() {
        assertThat(Runtimes.baseName(Path.of("examples/hello.js"))).isEqualTo("hello");
        assertThat(Runtimes.baseName(Path.of("my.app.zip"))).isEqualTo("my.app");
        assertThat(Runtimes.baseName(Path.of("Makefile"))).isEqualTo("Makefile");
    }

    @Test
    void archivesAreBinary() {
        assertThat(Runtimes.binary(Path.of("a.zip"))).isTrue();
        assertThat(Runtimes.binary(Path.of("a.jar"))).isTrue();
        assertThat(Runtimes.binary(Path.of("a.js"))).isFalse();
        assertThat(Runtimes.binary(Path.of("A.java"))).isFalse();
    }
}
