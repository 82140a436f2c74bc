package dev.cove.worker;

import static dev.cove.worker.PlatformEnd.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of the real worker share: the fixture functions, compiled once, and frames to send. */
abstract class WorkerTesting {
    static final String RUN_ID = "0193a1b2c3d4e5f60718293a4b5c6d7e";
    static final long DEADLINE = 1732300060000L;
    private static final AtomicInteger TOKENS = new AtomicInteger();

    @TempDir
    static Path fixtures;
    static Path classes;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileFixtures() throws IOException {
        classes = fixtures.resolve("classes");
        Fixtures.compile(classes);
    }

    PlatformEnd start() throws IOException {
        return PlatformEnd.startWorker(dir, "t" + TOKENS.incrementAndGet());
    }

    /** A worker initialised with the fixture class, its init's logs passed over. */
    PlatformEnd ready(String main, Object... limits) throws IOException {
        PlatformEnd worker = start();
        worker.send(init(main, limits));
        assertThat(worker.until("ready", "i-1").getLast()).doesNotContainKey("error");
        return worker;
    }

    /** An init frame for the fixture class, with the limits given over the usual ones. */
    static Map<String, Object> init(String main, Object... limits) {
        Map<String, Object> frame = frame("type", "init", "id", "i-1", "namespace", "guest", "name", "hello",
                "version", "0.0.1", "entry", classes.toString(), "main", main,
                "env", frame("GREETING", "hi", "N", 1), "concurrency", 1, "maxResultBytes", 1048576,
                "maxLogBytes", 1048576, "timeoutMs", 60000, "memoryMb", 256, "maxCallDepth", 50);
        frame.putAll(frame(limits));
        return frame;
    }

    static Map<String, Object> run(String id, Map<String, Object> params) {
        return frame("type", "run", "id", id, "params", params, "deadline", DEADLINE);
    }

    static Map<String, Object> done(PlatformEnd worker, String id) throws IOException {
        return worker.until("done", id).getLast();
    }

    static Map<String, Object> log(String id, String stream, String line) {
        return frame("type", "log", "id", id, "stream", stream, "line", line);
    }
}
