package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Functions that attack the platform, in every process runtime, against a real server with real
 * sandboxes. Each attack must end as an activation classified by who is at fault, with a message that
 * says what happened; it must not reach the host, the platform's secrets or other functions; and while
 * it runs, a {@link Guard} keeps calling healthy functions of the same server, every one of which must
 * answer correctly and quickly.
 *
 * <p>Facts about the sandbox that the assertions lean on: every sandbox has a pid namespace of its own
 * (the fixtures report its name, {@code pid:[inode]}, which the host sees as the same link under
 * {@code /proc/PID/ns/pid}) and cgroups of its own (those of its processes that the server is not in);
 * so "the worker was replaced" is "a new pid namespace answers", and "nothing of it remains" is "no
 * live host process is left in the old one, and its cgroups are gone".
 *
 * <p>One server serves the whole suite; each test deploys the fixture it needs as {@code
 * <runtime>-<fixture>}, with short time limits, so that the suite runs in well under a minute on two
 * cores.
 */
class HostileFunctionsIT {
    static final Path FIXTURES = Path.of("src/test/resources/hostile");
    static final List<String> RUNTIMES = List.of("nodejs", "python");
    static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    static final long MB = 1024 * 1024;
    /** The platform's default largest result (ServerOptions.defaults()). */
    static final long MAX_RESULT_BYTES = MB;
    /** The size of every sandbox's private /tmp. */
    static final long SANDBOX_TMP_BYTES = 64 * MB;
    /** The most processes and threads one sandbox may have (ResourceLimits.forFunction). */
    static final int SANDBOX_PIDS = 128;
    /** How long the old sandbox's processes may take to be gone after its worker is killed. */
    static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dir);
        for (String runtime : RUNTIMES) {
            String code = Files.readString(TestCove.CONFORMANCE.resolve(runtime + "/echo" + suffix(runtime)));
            ObjectNode extra = object();
            extra.putObject("limits").put("timeout", Guard.QUICK.toMillis());
            assertThat(cove.deploy(Guard.name(runtime), runtime + ":default", code, extra).status()).isEqualTo(200);
            assertThat(cove.invoke(Guard.name(runtime), object()).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    // ---- 1. an endless loop ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void anEndlessLoopTimesOutAndItsWorkerIsReplaced(String runtime) throws Exception {
        String fn = deploy(runtime, "loop", limits(Map.of("timeout", 1500)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(10, () -> cove.invoke(fn, attack()));

        assertTimedOut(attack, 1500);
        assertReplaced(fn, sandbox);
    }

    // ---- 2. a memory bomb ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aMemoryBombIsStoppedAtItsMemoryLimit(String runtime) throws Exception {
        String fn = deploy(runtime, "memory", limits(Map.of("memory", 128, "timeout", 20_000)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(3, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function exceeded its memory limit of 128 MB.");
        assertReplaced(fn, sandbox);
    }

    // ---- 3. a fork bomb ----

    /**
     * The bomb never returns: its worker starts processes until the sandbox's pids limit refuses one.
     * That ends the sandbox at once (a bomb held at its limit would spin on refused forks until its
     * time limit), and the activation says why; nothing of the sandbox remains.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aForkBombIsEndedAtItsPidsLimitAndLeavesNothingBehind(String runtime) throws Exception {
        String fn = deploy(runtime, "forkbomb", limits(Map.of("timeout", 20_000)));
        Sandbox sandbox = Sandbox.of(cove.invoke(fn, object()));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function exceeded its limit of " + SANDBOX_PIDS + " processes and threads.");
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
    @ValueSource(strings = {"nodejs", "python"})
    void aFunctionThatKeepsDyingIsRestartedAfterGrowingPauses(String runtime) throws Exception {
        String fn = runtime + "-crashloop";
        String code = Files.readString(FIXTURES.resolve(runtime).resolve("exit" + suffix(runtime)));
        assertThat(cove.deploy(fn, runtime + ":default", code, object()).status()).isEqualTo(200);
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
        assertThat(waitTime(afterOneDeath)).as("the pauses ended with the success").isLessThan(300);
    }

    static long waitTime(TestCove.Answer answer) {
        for (JsonNode a : answer.json().path("annotations")) {
            if (a.path("key").asText().equals("waitTime")) {
                return a.path("value").asLong();
            }
        }
        throw new AssertionError("no waitTime in " + answer.json());
    }

    // ---- 4. filling /tmp ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
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
        try (Stream<Path> all = Files.walk(cove.dataDir)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals(file))).as("the data folder").isEmpty();
        }
    }

    // ---- 5. a log flood ----

    /** Written straight to the file descriptor, so the worker's own cap never sees it; the platform's must. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
    void aFiftyMegabyteResultIsRefusedAsTooLarge(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("bytes", 50 * MB)));

        assertDeveloperError(attack, "over the limit of " + MAX_RESULT_BYTES + " bytes");
        assertThat(error(attack)).startsWith("The function's result is ");
        TestCove.Answer after = cove.invoke(fn, object().put("bytes", 10));
        assertThat(result(after).path("data").asText()).isEqualTo("x".repeat(10));
    }

    /** A function owns its worker's process, so it can skip the worker's check: the platform must check too. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aResultForgedPastTheWorkersCheckIsRefusedToo(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("forge", 5 * MB)));

        assertDeveloperError(attack, "over the limit of " + MAX_RESULT_BYTES + " bytes");
        assertThat(attack.raw().body().length()).as("the HTTP answer").isLessThan(64 * 1024);
    }

    /** An error is a result too: a function that fails with a huge message is held to the same limit. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void aHugeErrorMessageIsHeldToTheResultLimit(String runtime) throws Exception {
        String fn = deploy(runtime, "bigresult", limits(Map.of("memory", 512)));

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, object().put("throws", 5 * MB)));

        assertDeveloperError(attack, "over the limit of " + MAX_RESULT_BYTES + " bytes");
        assertThat(error(attack)).contains("xxxxxxxx");
        assertThat(attack.raw().body().length()).as("the HTTP answer").isLessThanOrEqualTo((int) MAX_RESULT_BYTES);
    }

    // ---- 7. reading secrets ----

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
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
    @ValueSource(strings = {"nodejs", "python"})
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

    // ---- the guard: healthy functions that must keep answering ----

    /**
     * Calls the healthy echo functions of both runtimes in turn, back to back on a thread of its own,
     * from its start until it is closed, and keeps every call: when it ran, and whether its answer was
     * right and quick.
     */
    static final class Guard implements AutoCloseable {
        static final Duration QUICK = Duration.ofSeconds(3);
        private static final long PAUSE_MS = 2;

        private record Call(long startNanos, long endNanos, String failure) {}

        private final List<Call> calls = new CopyOnWriteArrayList<>();
        private final CountDownLatch first = new CountDownLatch(1);
        private volatile boolean stopped;
        private final Thread thread;

        private Guard() {
            thread = Thread.ofPlatform().name("guard").daemon().start(this::run);
        }

        static String name(String runtime) {
            return "guard-" + runtime;
        }

        /** Starts calling; answers once the first call has come back. */
        static Guard start() throws InterruptedException {
            Guard guard = new Guard();
            assertThat(guard.first.await(30, TimeUnit.SECONDS)).as("the guard's first answer").isTrue();
            return guard;
        }

        private void run() {
            for (int n = 0; !stopped; n++) {
                String runtime = RUNTIMES.get(n % RUNTIMES.size());
                ObjectNode params = object().put("n", n).put("from", "guard");
                long began = System.nanoTime();
                String failure;
                try {
                    TestCove.Answer answer = cove.invoke(name(runtime), params);
                    failure = answer.status() == 200 && result(answer).equals(params) ? null
                            : runtime + " answered " + answer.status() + " " + answer.json();
                } catch (Exception e) {
                    failure = runtime + " failed: " + e;
                }
                long end = System.nanoTime();
                if (failure == null && end - began > QUICK.toNanos()) {
                    failure = runtime + " took " + (end - began) / 1_000_000 + " ms";
                }
                calls.add(new Call(began, end, failure));
                first.countDown();
                sleep(PAUSE_MS);
            }
        }

        /**
         * Every call was answered rightly and quickly, and at least {@code atLeast} of them ran while the
         * attack did (an attack shorter than one call overlaps one).
         */
        void assertHealthy(long fromNanos, long toNanos, int atLeast) {
            close();
            assertThat(calls.stream().map(Call::failure).filter(f -> f != null)).as("the guard's failed calls").isEmpty();
            assertThat(calls.stream().filter(c -> c.startNanos() <= toNanos && c.endNanos() >= fromNanos).count())
                    .as("healthy calls during the attack (%d ms)", (toNanos - fromNanos) / 1_000_000)
                    .isGreaterThanOrEqualTo(atLeast);
        }

        @Override
        public void close() {
            stopped = true;
            try {
                thread.join(QUICK.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs an attack while a {@link Guard} calls healthy functions, and checks the guard's answers. */
    static <T> T underGuard(int atLeast, Callable<T> attack) throws Exception {
        try (Guard guard = Guard.start()) {
            long from = System.nanoTime();
            T outcome = attack.call();
            long to = System.nanoTime();
            guard.assertHealthy(from, to, atLeast);
            return outcome;
        }
    }

    // ---- assertions on activations ----

    static void assertTimedOut(TestCove.Answer answer, long timeoutMs) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(408);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(error(answer)).isEqualTo("The function exceeded its time limit of " + timeoutMs + " ms.");
        assertThat(answer.json().path("annotations").toString()).contains("{\"key\":\"timeout\",\"value\":true}");
    }

    static void assertDeveloperError(TestCove.Answer answer, String message) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(502);
        assertThat(answer.json().path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(answer.json().path("annotations").toString()).doesNotContain("{\"key\":\"timeout\",\"value\":true}");
        assertThat(error(answer)).contains(message);
    }

    /**
     * The function answers again, from a new sandbox started for it, and nothing of the old sandbox is
     * left on the host: neither a process nor a cgroup.
     */
    static void assertReplaced(String fn, Sandbox old) throws Exception {
        TestCove.Answer next = cove.invoke(fn, object());
        assertThat(next.status()).as(next.json().toString()).isEqualTo(200);
        assertThat(pidNamespace(next)).as("the next call's sandbox").isNotEqualTo(old.pidNamespace());
        assertThat(next.json().path("annotations").toString()).as("a cold start").contains("initTime");
        assertGone(old);
    }

    static void assertGone(Sandbox sandbox) throws InterruptedException {
        awaitNone(() -> processesIn(sandbox.pidNamespace()), "processes of the old sandbox " + sandbox.pidNamespace());
        awaitTrue(() -> sandbox.cgroups().stream().noneMatch(Files::exists), GONE_WITHIN,
                "the old sandbox's cgroups " + sandbox.cgroups() + " are removed");
    }

    // ---- sandboxes as the host sees them ----

    /** A sandbox: its pid namespace, and the cgroup folders that are its own (not the server's too). */
    record Sandbox(String pidNamespace, List<Path> cgroups) {
        /** The sandbox that answered a call of a fixture's probe (its result names its pid namespace). */
        static Sandbox of(TestCove.Answer probe) {
            String ns = HostileFunctionsIT.pidNamespace(probe);
            List<Long> inside = processesIn(ns);
            assertThat(inside).as("the host's processes in " + ns).isNotEmpty();
            return of(inside.get(0));
        }

        /** The sandbox a host process runs in. */
        static Sandbox of(long pid) {
            try {
                String ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString();
                Map<String, String> server = cgroupsOf("self");
                List<Path> own = cgroupsOf(Long.toString(pid)).entrySet().stream()
                        .filter(e -> !e.getValue().equals(server.get(e.getKey())))
                        .map(e -> cgroupFolder(e.getKey(), e.getValue())).toList();
                assertThat(own).as("the sandbox's own cgroups").isNotEmpty().allMatch(Files::isDirectory);
                return new Sandbox(ns, own);
            } catch (IOException e) {
                throw new AssertionError("process " + pid + " could not be inspected", e);
            }
        }

        /** Hierarchy ("memory", "name=systemd", "" for v2) to path, from /proc/PID/cgroup. */
        private static Map<String, String> cgroupsOf(String pid) throws IOException {
            Map<String, String> groups = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
                String[] parts = line.split(":", 3);
                groups.put(parts[1], parts[2]);
            }
            return groups;
        }

        private static Path cgroupFolder(String hierarchy, String path) {
            Path root = Path.of("/sys/fs/cgroup");
            if (hierarchy.isEmpty()) {
                root = Files.exists(root.resolve("cgroup.controllers")) ? root : root.resolve("unified");
            } else {
                root = root.resolve(hierarchy.replace("name=", ""));
            }
            return root.resolve(path.substring(1));
        }
    }

    // ---- the host's processes ----

    /** The host's processes in a pid namespace, e.g. {@code pid:[4026532301]}. */
    static List<Long> processesIn(String pidNamespace) {
        return hostProcesses(pid -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString()
                        .equals(pidNamespace);
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        });
    }

    /** The host's processes whose command line contains the text. */
    static List<Long> processesWithCommandLine(String text) {
        return hostProcesses(pid -> {
            try {
                byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
                return new String(cmdline, StandardCharsets.ISO_8859_1).contains(text);
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        });
    }

    /**
     * The host's live processes that match. A zombie has ended already: it runs nothing and holds no
     * memory, only its process table entry until its parent reaps it. (When a worker ends by itself,
     * bwrap's outer process exits as soon as the worker has, before the sandbox's init is reaped; that
     * init is then the host init's to reap, which some inits do lazily.)
     */
    private static List<Long> hostProcesses(LongPredicate matches) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(matches::test).filter(pid -> !zombie(pid)).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    /** Whether the process is a zombie (state Z in /proc/PID/stat, after the parenthesised name); gone counts as one. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitNone(Supplier<List<Long>> processes, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
        List<Long> left = processes.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = processes.get();
        }
        assertThat(left).as("%s, %s after", what, GONE_WITHIN).isEmpty();
    }

    static void awaitTrue(BooleanSupplier condition, Duration within, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s: %s", within, what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    // ---- small things ----

    static String deploy(String runtime, String fixture, ObjectNode extra) throws Exception {
        String name = runtime + "-" + fixture;
        String code = Files.readString(FIXTURES.resolve(runtime).resolve(fixture + suffix(runtime)));
        TestCove.Answer answer = cove.deploy(name, runtime + ":default", code, extra);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return name;
    }

    static String suffix(String runtime) {
        return runtime.equals("nodejs") ? ".js" : ".py";
    }

    /** A deployment's extra fields: these limits. */
    static ObjectNode limits(Map<String, Integer> limits) {
        ObjectNode extra = object();
        limits.forEach(extra.putObject("limits")::put);
        return extra;
    }

    static ObjectNode object() {
        return TestCove.object();
    }

    static ObjectNode attack() {
        return object().put("attack", true);
    }

    static TestCove.Answer invokeUnchecked(String fn, ObjectNode params) {
        try {
            return cove.invoke(fn, params);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode result(TestCove.Answer answer) {
        return answer.json().path("response").path("result");
    }

    static String error(TestCove.Answer answer) {
        return result(answer).path("error").asText();
    }

    static String pidNamespace(TestCove.Answer answer) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        String ns = result(answer).path("pidns").asText();
        assertThat(ns).matches("pid:\\[\\d+\\]");
        return ns;
    }

    static List<String> lines(JsonNode array) {
        List<String> lines = new ArrayList<>();
        array.forEach(l -> lines.add(l.asText()));
        return lines;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
