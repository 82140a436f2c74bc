package dev.cove.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Guards over the server's sources: what a request sends is read in one place each, never beside it. */
class ServerSourcesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/cove/server");

    /** JSON read anywhere else would answer with the parser's own words again. */
    @Test
    void theJsonOfARequestIsReadOnlyByJsonBodies() {
        // Activations reads the records the platform itself stored: a failure there is the platform's (500)
        assertThat(filesThatMatch(".*\\.(readTree|readValue|treeToValue|convertValue)\\(.*"))
                .containsExactlyInAnyOrder("JsonBodies.java", "Activations.java");
    }

    /** A query parameter read beside Query could take {@code blocking=maybe} for false again. */
    @Test
    void queryParametersAreReadOnlyByQuery() {
        // WebRequests hands a web route's query to the function, whose own it is
        // (ex.query() is Query itself; a request's query() is its raw query string)
        assertThat(filesThatMatch(".*(?<!\\bex)\\.(getParam\\(|params\\(\\)|query\\(\\)).*"))
                .containsExactlyInAnyOrder("Query.java", "WebRequests.java");
    }

    private static List<String> filesThatMatch(String regex) {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> read(f).lines().anyMatch(line -> line.matches(regex)))
                    .map(f -> f.getFileName().toString()).toList();
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
