package dev.cove.worker;

import static dev.cove.worker.PlatformEnd.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real worker jar in a child process, driven over its socket by the test as the platform would
 * drive it (docs/worker-protocol.md): hello, init, runs, their logs, and its end.
 */
class WorkerIT extends WorkerTesting {

    @Test
    void aWorkerSaysHelloWithItsTokenRuntimeVersionAndPid() throws IOException {
        try (PlatformEnd worker = start()) {
            assertThat(worker.hello).containsEntry("type", "hello").containsEntry("runtime", "java")
                    .containsEntry("pid", (int) worker.process.pid()).containsKey("token");
            assertThat((String) worker.hello.get("version")).matches("\\d+.*");
            System.out.printf("java worker: process start to hello %.1f ms%n",
                    (worker.helloNanos - worker.startNanos) / 1e6);
        }
    }

    @Test
    void theJarStartsWithJavaDashJarToo() throws IOException {
        try (PlatformEnd worker = PlatformEnd.start(dir, "jar", List.of("-jar", PlatformEnd.workerJar().toString()))) {
            assertThat(worker.hello).containsEntry("type", "hello").containsEntry("token", "jar");
        }
    }

    @Test
    void emptyLinesFramesOfUnknownTypesAndLinesThatAreNotJsonAreIgnored() throws IOException {
        try (PlatformEnd worker = ready("StaticEcho")) {
            byte[] noise = "\n\n{\"type\":\"later\",\"id\":\"x\"}\nnot json\n[1]\n{\"no\":\"type\"}\n"
                    .getBytes(StandardCharsets.UTF_8);
            worker.sendRaw(noise, noise.length);
            worker.send(run(RUN_ID, frame()));
            assertThat(worker.next()).isEqualTo(frame("type", "done", "id", RUN_ID, "result", frame("static", frame())));
        }
    }

    @Test
    void aStemCellInitialisesAndRunsItsFirstActivationQuickly() throws IOException {
        try (PlatformEnd worker = start()) {
            long start = System.nanoTime();
            worker.send(init("Echo"));
            List<Map<String, Object>> initFrames = worker.until("ready", "i-1");
            long ready = System.nanoTime();
            worker.send(run(RUN_ID, frame("name", "Ada")));
            Map<String, Object> done = done(worker, RUN_ID);
            long end = System.nanoTime();
            System.out.printf("java worker: init to ready %.2f ms, to the first run's done %.2f ms%n",
                    (ready - start) / 1e6, (end - start) / 1e6);

            assertThat(initFrames).containsExactly(
                    frame("type", "log", "id", "i-1", "stream", "stdout", "line", "Echo is loading"),
                    frame("type", "ready", "id", "i-1"));
            assertThat(done).isEqualTo(frame("type", "done", "id", RUN_ID, "result", frame(
                    "params", frame("name", "Ada"), "activationId", RUN_ID, "namespace", "guest",
                    "functionName", "hello", "functionVersion", "0.0.1", "env", frame("GREETING", "hi", "N", "1"),
                    "deadline", DEADLINE)));
        }
    }

    @Test
    void aClassWithAStaticMainIsCalledWithTheParameters() throws IOException {
        try (PlatformEnd worker = ready("StaticEcho")) {
            worker.send(run(RUN_ID, frame("n", 1.5)));
            assertThat(done(worker, RUN_ID)).containsEntry("result", frame("static", frame("n", 1.5)));
        }
    }

    static Stream<Arguments> classesThatCannotRun() {
        return Stream.of(
                Arguments.of("Missing", "the class Missing could not be loaded: Missing"),
                Arguments.of("BrokenInit", "the class BrokenInit failed to initialise: "
                        + "java.lang.IllegalStateException: boom in init"),
                Arguments.of("NoShape", "NoShape neither implements dev.cove.api.Handler nor has a "
                        + "public static Map<String, Object> main(Map<String, Object>)"),
                Arguments.of("NeedsArgs", "NeedsArgs needs a constructor without parameters"),
                Arguments.of("ThrowingConstructor", "the constructor of ThrowingConstructor threw "
                        + "java.lang.IllegalArgumentException: not today"));
    }

    @ParameterizedTest
    @MethodSource("classesThatCannotRun")
    void anInitErrorSaysWhatIsWrongWithTheClass(String main, String error) throws IOException {
        try (PlatformEnd worker = start()) {
            worker.send(init(main));
            List<Map<String, Object>> frames = worker.until("ready", "i-1");
            assertThat(frames.getLast()).isEqualTo(frame("type", "ready", "id", "i-1", "error", error));
            if (main.equals("BrokenInit")) {
                assertThat(frames).first().isEqualTo(frame("type", "log", "id", "i-1", "stream", "stdout",
                        "line", "about to fail"));
            }
        }
    }

    @Test
    void aRunBeforeInitFailsAndASecondInitIsRefused() throws IOException {
        try (PlatformEnd worker = start()) {
            worker.send(run("r-0", frame()));
            assertThat(worker.expect("done")).isEqualTo(frame("type", "done", "id", "r-0",
                    "failure", "The worker was not initialised"));
            worker.send(init("Echo"));
            worker.until("ready", "i-1");
            Map<String, Object> again = init("Echo");
            again.put("id", "i-2");
            worker.send(again);
            assertThat(worker.expect("ready")).isEqualTo(frame("type", "ready", "id", "i-2",
                    "error", "The worker was already initialised"));
        }
    }

    @Test
    void resultsAndFailuresAreSaidAsTheInProcessTierSaysThem() throws IOException {
        try (PlatformEnd worker = ready("Behaviours", "maxResultBytes", 100)) {
            List<Object> endings = new ArrayList<>();
            List<Map<String, Object>> runs = List.of(frame("do", "null"), frame("do", "notJson"),
                    frame("do", "throw"), frame("do", "throwBare"), frame("do", "overflow"),
                    frame("do", "big", "n", 50), frame("do", "big", "n", 200), frame("do", "null"));
            for (int i = 0; i < runs.size(); i++) {
                worker.send(run("r-" + i, runs.get(i)));
                Map<String, Object> done = done(worker, "r-" + i);
                endings.add(done.containsKey("result") ? done.get("result") : done.get("failure"));
            }
            assertThat(endings).containsExactly(
                    "The function returned null; it must return a JSON object",
                    "The function's result is not valid JSON: a java.lang.Object at $.a.b[2]",
                    "java.lang.IllegalStateException: boom",
                    "java.lang.RuntimeException",
                    "java.lang.StackOverflowError",
                    frame("s", "x".repeat(50)),
                    frame("error", "The function's result is 208 bytes, over the limit of 100 bytes; it began: "
                            + "{\"s\":\"" + "x".repeat(200) + "\"}"),
                    "The function returned null; it must return a JSON object");
        }
    }

    /** The platform sizes the heap for the function's limit: running out of it is going over that limit. */
    @Test
    void runningOutOfHeapEndsTheWorkerAtOnceWithItsOwnStatus() throws Exception {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run(RUN_ID, frame("do", "oom")));
            assertThat(worker.process.waitFor(PlatformEnd.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.process.exitValue()).isEqualTo(Worker.OUT_OF_MEMORY_STATUS);
        }
    }

    @Test
    void whatARunPrintsIsItsLogLinesInOrderBeforeItsDone() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run(RUN_ID, frame("do", "log")));
            assertThat(worker.until("done", RUN_ID)).containsExactly(
                    log(RUN_ID, "stdout", "one"),
                    log(RUN_ID, "stderr", "two"),
                    log(RUN_ID, "stdout", "three, continued \u00e9\u2603"),
                    log(RUN_ID, "stdout", ""),
                    log(RUN_ID, "stdout", "no newline"),
                    log(RUN_ID, "stderr", "err partial"),
                    frame("type", "done", "id", RUN_ID, "result", frame()));
        }
    }

    @Test
    void theFirstLinePastTheLimitIsReplacedByANoteAndTheRestDropped() throws IOException {
        try (PlatformEnd worker = ready("Behaviours", "maxLogBytes", 20)) {
            worker.send(run(RUN_ID, frame("do", "flood")));
            assertThat(worker.until("done", RUN_ID)).containsExactly(
                    log(RUN_ID, "stdout", "line 0"),
                    log(RUN_ID, "stdout", "line 1"),
                    log(RUN_ID, "stdout", "line 2"),
                    log(RUN_ID, "stderr", "Logs were truncated after 20 bytes."),
                    frame("type", "done", "id", RUN_ID, "result", frame()));
        }
    }

    @Test
    void runsGoOnAtOnceAndEachEndsWhenItEnds() throws IOException {
        try (PlatformEnd worker = ready("Behaviours", "concurrency", 2)) {
            worker.send(run("r-wait", frame("do", "wait")));
            worker.send(run("r-other", frame("do", "null")));
            assertThat(worker.expect("done")).containsEntry("id", "r-other"); // while r-wait still waits
            worker.send(run("r-release", frame("do", "release")));
            List<Map<String, Object>> ends = List.of(worker.expect("done"), worker.expect("done"));
            assertThat(ends).extracting(f -> f.get("id")).containsExactlyInAnyOrder("r-wait", "r-release");
            assertThat(ends).extracting(f -> f.get("result")).contains(frame("waited", true));
        }
    }

    @Test
    void nothingAFunctionDoesToItsThreadOrTheRealStdoutCorruptsAFrame() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run("r-fd", frame("do", "fd")));
            assertThat(done(worker, "r-fd")).containsEntry("result", frame("wrote", true));
            worker.send(run("r-interrupt", frame("do", "interrupt")));
            assertThat(worker.until("done", "r-interrupt")).containsExactly(
                    log("r-interrupt", "stdout", "interrupted myself"),
                    frame("type", "done", "id", "r-interrupt", "result", frame("interrupted", true)));
            worker.send(run("r-later", frame("do", "later")));
            done(worker, "r-later");
            worker.send(run("r-wake", frame("do", "wake")));
            List<Map<String, Object>> frames = worker.until(f -> "from a thread of its own".equals(f.get("line")));
            assertThat(frames.getLast()).isEqualTo(log(null, "stdout", "from a thread of its own"));
            assertThat(worker.rawOutput()).contains("garbage {\"type\":\n");
        }
    }

    @Test
    void aWorkerWhoseSocketClosesExitsAtOnceWhateverItsThreadsAreDoing() throws Exception {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run("r-later", frame("do", "later"))); // leaves a thread (not a daemon) waiting
            done(worker, "r-later");
            worker.send(run("r-wait", frame("do", "wait")));
            worker.hangUp();
            assertThat(worker.process.waitFor(PlatformEnd.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.process.exitValue()).isZero();
        }
    }

    /**
     * Not a benchmark (bench/ has those), a sanity figure: the round trips of a warm worker, printed next
     * to those of a bare echo program (a few lines of Java answering each run frame with a done frame),
     * measured the same way in the same test, since the machine may be shared.
     */
    @Test
    void warmRunsTakeMicroseconds() throws IOException {
        long worker;
        try (PlatformEnd end = ready("StaticEcho")) {
            worker = medianRoundTrip(end);
        }
        Path echo = Files.writeString(dir.resolve("BareEcho.java"), BARE_ECHO);
        long bare;
        try (PlatformEnd end = PlatformEnd.start(dir, "echo", List.of(echo.toString()))) {
            bare = medianRoundTrip(end);
        }
        System.out.printf("java worker: warm run to done p50 %.1f us; a bare echo's %.1f us (ratio %.2f)%n",
                worker / 1e3, bare / 1e3, (double) worker / bare);
        assertThat(worker).isPositive();
    }

    private static long medianRoundTrip(PlatformEnd end) throws IOException {
        Map<String, Object> params = frame("name", "Ada");
        for (int i = 0; i < 20_000; i++) { // past the JIT's thresholds on both sides
            end.send(run("w-" + i, params));
            done(end, "w-" + i);
        }
        long[] nanos = new long[5000];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            end.send(run("m-" + i, params));
            done(end, "m-" + i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }

    /** The least a worker can do: answer each run frame with a done frame, found and written by hand. */
    private static final String BARE_ECHO = """
            import java.io.*;
            import java.net.*;
            import java.nio.*;
            import java.nio.channels.*;
            import java.nio.charset.StandardCharsets;

            public class BareEcho {
                public static void main(String[] args) throws IOException {
                    SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
                    socket.connect(UnixDomainSocketAddress.of(args[1]));
                    OutputStream out = Channels.newOutputStream(socket);
                    out.write("{\\"type\\":\\"hello\\",\\"token\\":\\"echo\\"}\\n".getBytes(StandardCharsets.UTF_8));
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(socket),
                            StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) {
                        int start = line.indexOf("\\"id\\":\\"") + 6;
                        String id = line.substring(start, line.indexOf('"', start));
                        out.write(("{\\"type\\":\\"done\\",\\"id\\":\\"" + id + "\\",\\"result\\":{}}\\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            """;

}
