package dev.cove.server;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many warm workers at once must not starve anything else: each worker's output is read by threads
 * of its own, reading a pipe blocks, and those reads must not take the carriers that run the
 * in-process Java functions.
 */
class ManyWorkersIT {
    static int status(TestCove cove) {
        try {
            return cove.invoke("hello", TestCove.object()).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ExecutorService POOL = Executors.newFixedThreadPool(32);

    @TempDir
    Path dir;

    @Test
    void javaFunctionsKeepAnsweringWithManyWorkersWarm() throws Exception {
        try (TestCove cove = new TestCove(dir)) {
            for (int i = 0; i < 24; i++) {
                cove.deploy("py" + i, "python:3", "def main(a):\n    return {'i': " + i + "}\n", TestCove.object());
                assertThat(cove.invoke("py" + i, TestCove.object()).status()).isEqualTo(200);
            }
            cove.deploy("hello", "java:21", "import java.util.Map; public class Hi {"
                    + " public static Map<String, Object> main(Map<String, Object> p) { return Map.of(\"hi\", 1); } }",
                    TestCove.object());
            List<CompletableFuture<Integer>> calls = IntStream.range(0, 400)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> status(cove), POOL)).toList();
            assertThat(calls.stream().map(CompletableFuture::join)).containsOnly(200);
        }
    }
}
