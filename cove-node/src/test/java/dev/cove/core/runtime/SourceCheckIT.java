package dev.cove.core.runtime;

import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.StartFailure;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Node and python code is compiled in a stem cell when it is staged, and the place of a compile error
 * is the one in the user's own source: at staging, and at init (code staged before the check existed
 * is loaded without it), where node's lookup suffix once moved it past the file's end. The cells run
 * unconfined here: what is compiled, and where an error is, does not depend on the sandbox.
 */
class SourceCheckIT {
    /** Three lines; the brace opened on the first is never closed. */
    static final String NODE_OPEN = "function main(params) {\n  return { ok: true\n}\n";
    static final String PYTHON_OPEN = "def main(args):\n    return {\"ok\": (1,\n}\n";

    @TempDir
    static java.nio.file.Path dir;
    static Vertx vertx;
    static Runtimes runtimes;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        runtimes = Runtimes.start(VertxTransport.workers(vertx), new Runtimes.Options(dir, 1, 1 << 20, 1 << 20, Unconfined.provider(), PackageSources.DEFAULT),
                InlineTier.unavailable("no test here runs Java inline"));
    }

    @AfterAll
    static void stop() throws Exception {
        runtimes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static FunctionSpec spec(String runtime, String code) {
        return FunctionSpec.of("f-" + UUID.randomUUID(), runtime.equals("nodejs") ? Kind.NODEJS : Kind.PYTHON,
                Code.source(code), "main");
    }

    @ParameterizedTest
    @CsvSource({"nodejs, 'the JavaScript source does not compile: line 3, column 2: SyntaxError: Unexpected end of input'",
        "python, 'the Python source does not compile: line 3, column 1: SyntaxError: closing parenthesis ''}'' does not match opening parenthesis ''('' on line 2'"})
    void stagingRefusesASourceThatDoesNotCompile(String runtime, String why) {
        assertThatThrownBy(() -> runtimes.stage("guest", spec(runtime, runtime.equals("nodejs") ? NODE_OPEN : PYTHON_OPEN)))
                .isInstanceOf(InvalidFunctionException.class).hasMessage(why);
    }

    @ParameterizedTest
    @CsvSource({"nodejs", "python"})
    void stagingTakesASourceThatCompilesAndLeavesTheStemCellsFull(String runtime) throws Exception {
        Runtimes.StagedCode staged = runtimes.stage("guest", spec(runtime, runtime.equals("nodejs")
                ? "function main() { return {}; }\n" : "def main(args):\n    return {}\n"));
        runtimes.discard(staged);
        Kind kind = runtime.equals("nodejs") ? Kind.NODEJS : Kind.PYTHON;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (runtimes.stemCells(kind) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(runtimes.stemCells(kind)).as("the cell that checked is replaced").isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"nodejs, 'SyntaxError: Unexpected end of input (function.js:3)'",
        "python, 'SyntaxError: closing parenthesis ''}'' does not match opening parenthesis ''('' on line 2 (function.py:3)'"})
    void codeLoadedWithoutTheCheckNamesTheLineOfItsOwnSource(String runtime, String error) throws Exception {
        FunctionRevision revision = new FunctionRevision("guest",
                spec(runtime, runtime.equals("nodejs") ? NODE_OPEN : PYTHON_OPEN), 1, Instant.now(), "app");
        CompletableFuture<Instance> started = runtimes.start(revision,
                new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>()));
        assertThatThrownBy(() -> started.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StartFailure.class).hasMessageContaining(error);
    }
}
