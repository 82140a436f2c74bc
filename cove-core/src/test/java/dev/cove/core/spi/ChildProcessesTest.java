package dev.cove.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
    /** The modules that run in the platform's process, besides every one under adapters/. */
    private static final List<Path> MODULES = List.of(Path.of("."), Path.of("../cove-node"), Path.of("../cove-server"),
            Path.of("../cove-cli"));

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
        List<String> starters = mainSources().stream().flatMap(ChildProcessesTest::javaFiles)
                .filter(f -> read(f).matches("(?s).*(new ProcessBuilder\\(|getRuntime\\(\\)\\.exec\\(|ProcessBuilder::new).*"))
                .map(f -> f.getFileName().toString()).toList();
        assertThat(starters).containsExactly("ChildProcesses.java");
    }

    @Test
    void linesAreCutAndTheLastOneKept() {
        List<String> lines = new ArrayList<>();
        ChildProcesses.Lines splitter = ChildProcesses.lines(4, lines::add);
        byte[] text = "ab\ncdefgh\nij".getBytes(StandardCharsets.UTF_8);
        splitter.accept(text, 0, 5);
        splitter.accept(text, 5, text.length - 5);
        splitter.finish();
        assertThat(lines).containsExactly("ab", "cdef [line cut at 4 bytes]", "ij");
    }

    private static List<Path> mainSources() {
        try (Stream<Path> adapters = Files.list(Path.of("../adapters"))) {
            return Stream.concat(MODULES.stream(), adapters.toList().stream()).map(m -> m.resolve("src/main/java"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
