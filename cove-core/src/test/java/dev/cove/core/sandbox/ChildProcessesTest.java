package dev.cove.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
    /** The sources of every module that runs in the platform's process. */
    private static final List<Path> MAIN_SOURCES = List.of(Path.of("src/main/java"),
            Path.of("../cove-server/src/main/java"), Path.of("../cove-cli/src/main/java"));

    @Test
    void aChildGetsTheEnvironmentItIsGivenAndNothingOfTheServers() throws Exception {
        assertThat(System.getenv()).as("the test's own environment, to leave out").isNotEmpty();
        Process env = ChildProcesses.builder(List.of("/usr/bin/env"), Map.of("ONLY", "this")).start();
        String printed = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(env.waitFor()).isZero();
        assertThat(printed).isEqualTo("ONLY=this\n");
    }

    /** The class of defect: a process started anywhere else would inherit the server's environment again. */
    @Test
    void everyProcessThePlatformStartsIsBuiltByChildProcesses() {
        List<String> starters = MAIN_SOURCES.stream().flatMap(ChildProcessesTest::javaFiles)
                .filter(f -> read(f).matches("(?s).*(new ProcessBuilder\\(|getRuntime\\(\\)\\.exec\\(|ProcessBuilder::new).*"))
                .map(f -> f.getFileName().toString()).toList();
        assertThat(starters).containsExactly("ChildProcesses.java");
    }

    private static Stream<Path> javaFiles(Path root) {
        assertThat(root).isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
