package dev.cove.server;

import static dev.cove.server.Attacks.*;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Debugging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Functions that attack the platform, in every process runtime (Java's process tier too), against a
 * real server with real sandboxes. Each attack must end as an activation classified by who is at
 * fault, with a message that says what happened; it must not reach the host, the platform's secrets
 * or other functions; and while it runs, a {@link Attacks.Guard} keeps calling healthy functions of
 * the same server, every one of which must answer correctly and quickly. ({@link HostileJavaIT} has
 * the attacks only Java can make, and those on the inline tier.)
 *
 * <p>One server serves the whole suite; each test deploys the fixture it needs as {@code
 * <runtime>-<fixture>}, with short time limits, so that the suite runs in about a minute on two cores.
 * It keeps no failure's sandbox for debugging ({@code --debug-keep 0}): what is claimed here is that
 * nothing of an attack remains. (DebugIT has an endless loop's sandbox kept, frozen.)
 */
class HostileFunctionsIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        serve(new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir).withStemCellsPerRuntime(1)
                .withDebugging(new Debugging(Debugging.DEFAULT.window(), 0, false))));
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    // ---- 1. an endless loop ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void anEndlessLoopTimesOutAndItsWorkerIsReplaced(String runtime) throws Exception {
        String fn = deploy(runtime, "loop", limits(Map.of("timeout", 1500)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(10, () -> cove.invoke(fn, attack()));

        assertTimedOut(attack, 1500);
        assertReplaced(fn, sandbox);
    }

    // ---- 2. a memory bomb ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aMemoryBombIsStoppedAtItsMemoryLimit(String runtime) throws Exception {
        String fn = deploy(runtime, "memory", limits(Map.of("memory", 128, "timeout", 20_000)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(3, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function exceeded its memory limit of 128 MB.");
        assertReplaced(fn, sandbox);
    }

    // ---- 3. a fork bomb ----

    /**
     * The bomb never returns: its worker starts processes until its pids limit refuses one. That ends
     * the worker at once (a bomb held at its limit would spin on refused forks until its time limit),
     * and the activation says why; nothing of the sandbox remains.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aForkBombIsEndedAtItsPidsLimitAndLeavesNothingBehind(String runtime) throws Exception {
        String fn = deploy(runtime, "forkbomb", limits(Map.of("timeout", 20_000)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function exceeded its limit of " + INSTANCE_PIDS + " processes and threads.");
        assertThat(attack.json().path("duration").asLong()).as("ended at its limit, long before its time limit")
                .isLessThan(10_000);
        assertReplaced(fn, sandbox);
    }

    /**
     * A function whose instances keep dying gets new ones after pauses that double (100 ms after its
     * second death in a row), so that a bomb invoked over and over can't make and break sandboxes as
     * fast as it is called; one activation that succeeds ends the pauses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aFunctionThatKeepsDyingIsRestartedAfterGrowingPauses(String runtime) throws Exception {
        String fn = runtime + "-crashloop";
        String code = Files.readString(fixture(runtime, "exit"));
        assertThat(cove.deploy(fn, RuntimeConformanceIT.kind(runtime), code, tiered(runtime, object())).status())
                .isEqualTo(200);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestCove.Answer crash = cove.invoke(fn, attack());
            assertDeveloperError(crash, "The function's worker exited with status 3.");
            waits.add(waitTime(crash));
        }
        assertThat(waits.get(2)).as("waits %s", waits).isGreaterThanOrEqualTo(100);
        assertThat(waits.get(3)).as("waits %s", waits).isGreaterThanOrEqualTo(200);
        assertThat(waits.get(4)).as("waits %s", waits).isGreaterThanOrEqualTo(400);

        assertThat(cove.invoke(fn, object()).status()).as("a success after the pause").isEqualTo(200);
        cove.invoke(fn, attack());
        TestCove.Answer afterOneDeath = cove.invoke(fn, attack());
        // without the pauses' end it would wait 1.6 s; a JVM worker takes a few hundred ms to start
        assertThat(waitTime(afterOneDeath)).as("the pauses ended with the success")
                .isLessThan(runtime.startsWith("java") ? 1000 : 300);
    }

    static long waitTime(TestCove.Answer answer) {
        for (JsonNode a : answer.json().path("annotations")) {
            if (a.path("key").asText().equals("waitTime")) {
                return a.path("value").asLong();
            }
        }
        throw new AssertionError("no waitTime in " + answer.json());
    }

    /**
     * Three instances of one function, in their application's one sandbox, bomb at once: each is
     * stopped at its function's own limits (not at what the three have together) and says so.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "forkbomb"})
    void eachInstanceIsStoppedAtItsFunctionsOwnLimits(String fixture) throws Exception {
        String fn = "python-three-" + fixture;
        assertThat(cove.deploy(fn, "python:3", Files.readString(fixture("python", fixture)),
                limits(Map.of("memory", 128, "timeout", 20_000, "maxInstances", 3))).status()).isEqualTo(200);
        assertThat(cove.invoke(fn, object()).status()).isEqualTo(200);

        List<TestCove.Answer> attacks = underGuard(3, () -> {
            try (var threads = Executors.newFixedThreadPool(3)) {
                List<Future<TestCove.Answer>> running = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    running.add(threads.submit(() -> cove.invoke(fn, attack())));
                }
                List<TestCove.Answer> answers = new ArrayList<>();
                for (Future<TestCove.Answer> answer : running) {
                    answers.add(answer.get());
                }
                return answers;
            }
        });

        for (TestCove.Answer attack : attacks) {
            assertDeveloperError(attack, fixture.equals("memory") ? "The function exceeded its memory limit of 128 MB."
                    : "The function exceeded its limit of " + INSTANCE_PIDS + " processes and threads.");
        }
    }

    // ---- 4. filling /tmp ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void fillingTmpEndsInNoSpaceWithinTheSandboxOnly(String runtime) throws Exception {
        String fn = deploy(runtime, "tmpfill", object());
        String file = "cove-hostile-fill-" + UUID.randomUUID();

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object().put("file", file)));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode result = result(answer);
        assertThat(result.path("code").asText()).isEqualTo("ENOSPC");
        assertThat(result.path("message").asText()).containsIgnoringCase("no space left on device");
        assertThat(result.path("written").asLong()).as("bytes written before the disk was full")
                .isGreaterThan(SANDBOX_TMP_BYTES - 8 * MB).isLessThanOrEqualTo(SANDBOX_TMP_BYTES);
        assertThat(Path.of("/tmp", file)).as("the host's /tmp").doesNotExist();
        assertThat(anyNamed(cove.dataDir, file)).as("a file of that name in the data folder").isFalse();
    }

    /** Whether a file under {@code root} has that name; a walk that meets a folder going (a sandbox's end) walks again. */
    private static boolean anyNamed(Path root, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> all = Files.walk(root)) {
                return all.anyMatch(p -> p.getFileName().toString().equals(name));
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    // ---- 5. a log flood ----

    /** Written straight to the file descriptor, so the worker's own cap never sees it; the platform's must. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aLogFloodIsCappedWithANoteSayingSo(String runtime) throws Exception {
        String fn = deploy(runtime, "logflood", limits(Map.of("logs", 1)));

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object().put("bytes", 4 * MB)));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(result(answer).path("written").asLong()).isGreaterThanOrEqualTo(4 * MB);
        List<String> logs = lines(answer.json().path("logs"));
        assertThat(logs.getLast())
                .endsWith(" stderr: Logs were truncated because they exceeded the limit of " + MB + " bytes.");
        assertThat(logs.stream().filter(l -> l.contains("truncated"))).hasSize(1);
        long kept = logs.subList(0, logs.size() - 1).stream()
                .mapToLong(l -> l.substring(l.indexOf(": ") + 2).getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(kept).as("log bytes kept").isLessThanOrEqualTo(MB).isGreaterThan(MB - 2048);
        String id = answer.json().path("activationId").asText();
        assertThat(lines(cove.get("/api/v1/namespaces/_/activations/" + id + "/logs").json().path("logs")))
                .as("the stored record").isEqualTo(logs);
    }

    // ---- 6. a 50 MB result ----

    /** With 512 MB (more than a stem cell's 256), so that the result's size stops it, not memory. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aFiftyMegabyteResultIsRefusedAsTooLarge(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("bytes", 50 * MB)));

        assertResultTooLarge(attack);
        TestCove.Answer after = cove.invoke(fn, object().put("bytes", 10));
        assertThat(result(after).path("data").asText()).isEqualTo("x".repeat(10));
    }

    /** A function owns its worker's process, so it can skip the worker's check: the platform must check too. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"}) // a Java function would have to reach into its worker's socket
    void aResultForgedPastTheWorkersCheckIsRefusedToo(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("forge", 5 * MB)));

        assertResultTooLarge(attack);
        assertThat(attack.raw().body().length()).as("the HTTP answer").isLessThan(64 * 1024);
    }

    /** As OpenWhisk ends it: an application error that shows the result's start. */
    private static void assertResultTooLarge(TestCove.Answer answer) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("application error");
        assertThat(error(answer)).startsWith("The function's result is ")
                .contains("over the limit of " + MAX_RESULT_BYTES + " bytes; it began: {\"data\":\"xxx");
    }

    /** An error is a result too: a function that fails with a huge message is held to the same limit. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aHugeErrorMessageIsHeldToTheResultLimit(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("throws", 5 * MB)));

        assertDeveloperError(attack, "over the limit of " + MAX_RESULT_BYTES + " bytes");
        assertThat(error(attack)).contains("xxxxxxxx");
        assertThat(attack.raw().body().length()).as("the HTTP answer").isLessThanOrEqualTo((int) MAX_RESULT_BYTES);
    }

    // ---- 7. reading secrets ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void nothingOfTheHostOrThePlatformCanBeRead(String runtime) throws Exception {
        String fn = deploy(runtime, "snoop", object());
        String dataDir = cove.dataDir.toString();

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object().put("dataDir", dataDir)));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode report = result(answer);
        assertThat(report.path("shadow").has("value")).as("/etc/shadow was read").isFalse();
        assertThat(report.path("shadow").path("error").asText()).isIn("ENOENT", "EACCES");
        assertThat(report.path("dataDir").path("error").asText()).as("the data folder").isEqualTo("ENOENT");
        assertThat(report.path("database").path("error").asText()).as("the store").isEqualTo("ENOENT");
        assertThat(report.path("pids").toString()).as("the processes it can see").isEqualTo("[1,2]");
        assertThat(report.path("procs").path("2").path("cmdline").path("value").asText())
                .as("its own worker's command line, read").contains("worker");
        String[] auth = cove.server.guestAuth().split(":", 2);
        Map<String, String> secrets = Map.of("the guest namespace's uuid", auth[0], "the guest namespace's key",
                auth[1], "the data folder's path", dataDir);
        assertThat(revealed(report.path("procs"), secrets)).isEmpty();
    }

    /** Which secret each /proc/PID/{cmdline,environ} that could be read gives away. */
    static List<String> revealed(JsonNode procs, Map<String, String> secrets) {
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> proc : procs.properties()) {
            for (String file : List.of("cmdline", "environ")) {
                String text = proc.getValue().path(file).path("value").asText("");
                secrets.forEach((what, secret) -> {
                    if (text.contains(secret)) {
                        leaks.add("/proc/" + proc.getKey() + "/" + file + " reveals " + what + ": "
                                + text.replace('\0', ' '));
                    }
                });
            }
        }
        return leaks;
    }

    // ---- 8. the network ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void neitherTheApiNorAnyHostPortCanBeReached(String runtime) throws Exception {
        String fn = deploy(runtime, "network", object());
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofPlatform().daemon().start(() -> acceptAll(listener, accepted));
            int api = cove.server.port();
            int host = listener.getLocalPort();
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), host)) {
                assertThat(probe.isConnected()).as("the host's own port is reachable from the host").isTrue();
            }
            awaitTrue(() -> accepted.get() == 1, Duration.ofSeconds(5), "the host's probe was accepted");

            TestCove.Answer answer = underGuard(1, () -> {
                ObjectNode params = object();
                params.putArray("ports").add(api).add(host);
                return cove.invoke(fn, params);
            });

            assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
            JsonNode outcomes = result(answer).path("outcomes");
            assertThat(outcomes.path(Integer.toString(api)).asText()).as("the API port")
                    .isIn("ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH");
            assertThat(outcomes.path(Integer.toString(host)).asText()).as("a port on the host's 127.0.0.1")
                    .isIn("ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH");
            assertThat(accepted.get()).as("connections the host's port accepted").isEqualTo(1);
        }
    }

    static void acceptAll(ServerSocket listener, AtomicInteger accepted) {
        while (!listener.isClosed()) {
            try {
                listener.accept().close();
                accepted.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    // ---- 9. writing outside /tmp ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void nothingOutsideTmpCanBeWritten(String runtime) throws Exception {
        String fn = deploy(runtime, "writes", object());
        List<String> outside = List.of("/code/hostile", "/usr/hostile", "/hostile", "/etc/hostile");

        TestCove.Answer answer = underGuard(1, () -> {
            ObjectNode params = object();
            params.putArray("paths").add("/tmp/hostile");
            outside.forEach(params.withArray("paths")::add);
            return cove.invoke(fn, params);
        });

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode outcomes = result(answer).path("outcomes");
        assertThat(outcomes.path("/tmp/hostile").asText()).as("the control: /tmp").isEqualTo("written");
        Map<String, String> refusals = new TreeMap<>();
        Stream.concat(outside.stream(), Stream.of("ownCode")).forEach(p -> refusals.put(p, outcomes.path(p).asText()));
        assertThat(refusals).as("what writing outside /tmp met").allSatisfy((path, outcome) ->
                assertThat(outcome).as(path).isIn("EROFS", "EACCES", "EPERM"));
    }

    // ---- 10. killing its parent, and everything else ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void killingItsParentAndEveryProcessEndsOnlyItsOwnWorker(String runtime) throws Exception {
        String fn = deploy(runtime, "killparent", object());
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function's worker was killed by signal 9.");
        assertThat(attack.json().path("logs").toString()).contains("SIGKILL to parent");
        assertReplaced(fn, sandbox);
    }

    // ---- 11. exiting mid-activation ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void exitingMidActivationIsADeveloperError(String runtime) throws Exception {
        String fn = deploy(runtime, "exit", object());
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function's worker exited with status 3.");
        assertThat(attack.json().path("logs").toString()).contains("exiting mid-activation");
        assertReplaced(fn, sandbox);
    }

    // ---- 12. a background process that tries to outlive its worker ----

    /** The guard runs from the start of the activation until the background process is gone. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java-process"})
    void aDetachedBackgroundProcessDiesWithItsWorker(String runtime) throws Exception {
        String fn = deploy(runtime, "detached", object());
        String marker = "cove-hostile-" + UUID.randomUUID();

        underGuard(1, () -> {
            TestCove.Answer answer = cove.invoke(fn, object().put("marker", marker));
            assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
            awaitTrue(() -> !processesWithCommandLine(marker).isEmpty(), Duration.ofSeconds(5),
                    "the background process runs, visible to the host, while its worker lives");
            Sandbox sandbox = Sandbox.of(processesWithCommandLine(marker).get(0));
            assertThat(cove.delete(ACTIONS + fn).status()).isEqualTo(200);
            awaitNone(() -> processesWithCommandLine(marker), "processes with " + marker + " in their command line");
            assertGone(sandbox);
            return null;
        });
    }
}
