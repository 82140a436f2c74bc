package dev.cove.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's own classes link no lambda, no string concatenation and no pattern switch through
 * invokedynamic: each such call site's bootstrap costs a JVM milliseconds the first time, and the
 * worker's code runs the first time in every stem cell. (The probes, which stand for a function's
 * code, do on purpose; records' generated methods are bootstrapped only when called.)
 */
class NoBootstrapsTest {
    private static final List<String> BOOTSTRAPS = List.of("java/lang/invoke/LambdaMetafactory",
            "java/lang/invoke/StringConcatFactory", "java/lang/runtime/SwitchBootstraps");

    @Test
    void theWorkersClassesNeedNoBootstrapMethodToRun() throws IOException, URISyntaxException {
        Path classes = Path.of(Worker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/cove/worker");
        try (Stream<Path> files = Files.list(classes)) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".class")).toList();
            assertThat(found).hasSizeGreaterThan(20);
            for (Path file : found) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(BOOTSTRAPS).as(file.getFileName().toString()).noneMatch(text::contains);
            }
        }
    }
}
