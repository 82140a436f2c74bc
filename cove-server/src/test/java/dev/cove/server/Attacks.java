package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the hostile suites share ({@link HostileFunctionsIT}, {@link HostileJavaIT}): the server they
 * attack, the guard that keeps calling healthy functions of it while an attack runs, the fixtures, and
 * what the host sees of sandboxes and processes.
 *
 * <p>Facts about the sandbox that the assertions lean on: every sandbox has a pid namespace of its own
 * (the fixtures report its name, {@code pid:[inode]}, which the host sees as the same link under
 * {@code /proc/PID/ns/pid}) and cgroups of its own (those of its processes that the server is not in);
 * so "the worker was replaced" is "a new pid namespace answers", and "nothing of it remains" is "no
 * live host process is left in the old one, and its cgroups are gone".
 *
 * <p>A suite calls {@link #serve} once before its tests: the suites run one after the other, each
 * with a server of its own.
 */
final class Attacks {
    static final Path FIXTURES = Path.of("src/test/resources/hostile");
    /** The healthy echo functions the guard calls, one per runtime and Java tier. */
    static final List<String> GUARDED = List.of("nodejs", "python", "java", "java-process");
    static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    static final long MB = 1024 * 1024;
    /** The platform's default largest result (ServerOptions.defaults()). */
    static final long MAX_RESULT_BYTES = MB;
    /** The size of every sandbox's private /tmp. */
    static final long SANDBOX_TMP_BYTES = 64 * MB;
    /** The most processes and threads one instance of a function may have (ResourceLimits.forFunction). */
    static final int INSTANCE_PIDS = 128;
    /** How long the old sandbox's processes may take to be gone after its worker is killed. */
    static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    static TestCove cove;

    private Attacks() {}

    /** Attacks this server from now on, and deploys the guard's healthy functions on it. */
    static void serve(TestCove server) throws Exception {
        cove = server;
        for (String runtime : GUARDED) {
            String code = Files.readString(RuntimeConformanceIT.fixture(runtime, "echo"));
            ObjectNode extra = tiered(runtime, object());
            extra.putObject("limits").put("timeout", Guard.QUICK.toMillis());
            assertThat(cove.deploy(Guard.name(runtime), RuntimeConformanceIT.kind(runtime), code, extra).status())
                    .isEqualTo(200);
            assertThat(cove.invoke(Guard.name(runtime), object()).status()).isEqualTo(200);
        }
    }

    // ---- the guard: healthy functions that must keep answering ----

    /**
     * Calls the healthy echo functions of every runtime in turn, back to back on a thread of its own,
     * from its start until it is closed, and keeps every call: when it ran, and whether its answer was
     * right and quick.
     */
    static final class Guard implements AutoCloseable {
        static final Duration QUICK = Duration.ofSeconds(3);
        /** The median a healthy Java function's calls take while an attack runs, at most. */
        static final Duration JAVA_MEDIAN = Duration.ofMillis(50);
        /** The fewest calls a median is taken of: one slow call is no median. */
        private static final int MEDIAN_OF = 5;
        private static final long PAUSE_MS = 2;

        private record Call(String runtime, long startNanos, long endNanos, String failure) {
            boolean during(long fromNanos, long toNanos) {
                return startNanos <= toNanos && endNanos >= fromNanos;
            }
        }

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
                String runtime = GUARDED.get(n % GUARDED.size());
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
                calls.add(new Call(runtime, began, end, failure));
                first.countDown();
                sleep(PAUSE_MS);
            }
        }

        /**
         * Every call was answered rightly and quickly, at least {@code atLeast} of them ran while the
         * attack did (an attack shorter than one call overlaps one), and the healthy Java functions'
         * calls during it took {@link #JAVA_MEDIAN} at most, as a median (of an attack long enough for
         * {@link #MEDIAN_OF} of them).
         */
        void assertHealthy(long fromNanos, long toNanos, int atLeast) {
            close();
            assertThat(calls.stream().map(Call::failure).filter(f -> f != null)).as("the guard's failed calls").isEmpty();
            assertThat(calls.stream().filter(c -> c.during(fromNanos, toNanos)).count())
                    .as("healthy calls during the attack (%d ms)", (toNanos - fromNanos) / 1_000_000)
                    .isGreaterThanOrEqualTo(atLeast);
            long[] java = calls.stream().filter(c -> c.during(fromNanos, toNanos) && c.runtime().startsWith("java"))
                    .mapToLong(c -> c.endNanos() - c.startNanos()).sorted().toArray();
            if (java.length >= MEDIAN_OF) {
                assertThat(Duration.ofNanos(java[java.length / 2])).as("the median of %d healthy Java calls during the attack",
                        java.length).isLessThanOrEqualTo(JAVA_MEDIAN);
            }
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
            String ns = Attacks.pidNamespace(probe);
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

    /**
     * Deploys a hostile fixture as {@code <runtime>-<fixture>}; {@code java} is the platform's choice of
     * tier, {@code java-process} the process tier.
     */
    static String deploy(String runtime, String fixture, ObjectNode extra) throws Exception {
        String name = runtime + "-" + fixture;
        TestCove.Answer answer = cove.deploy(name, RuntimeConformanceIT.kind(runtime),
                Files.readString(fixture(runtime, fixture)), tiered(runtime, extra));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return name;
    }

    /** A hostile fixture's file: {@code loop.js}, {@code loop.py}, {@code java/Loop.java}. */
    static Path fixture(String runtime, String fixture) {
        return switch (runtime) {
            case "nodejs" -> FIXTURES.resolve("nodejs/" + fixture + ".js");
            case "python" -> FIXTURES.resolve("python/" + fixture + ".py");
            default -> FIXTURES.resolve("java/" + fixture.substring(0, 1).toUpperCase(Locale.ROOT) + fixture.substring(1)
                    + ".java");
        };
    }

    static ObjectNode tiered(String runtime, ObjectNode extra) {
        return RuntimeConformanceIT.tiered(runtime, extra);
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
