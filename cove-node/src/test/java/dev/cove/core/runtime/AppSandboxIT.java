package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunOutcome;
import dev.cove.core.spi.RunRequest;
import dev.cove.core.spi.Sandbox;
import dev.cove.sandbox.bubblewrap.BubblewrapProvider;
import dev.cove.transport.vertx.VertxTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All functions of one application share one bubblewrap sandbox; functions of different applications
 * share nothing. Instances are started through {@link Runtimes} for revisions that name their
 * application, with real bwrap, node and python3; each runs {@code appsandbox/probe.js} or
 * {@code probe.py}, which does what its parameters ask (write or read a file, listen on or connect to
 * a port of 127.0.0.1, print through a child process, exit).
 */
class AppSandboxIT {
    static final Path PROBES = Path.of("src/test/resources/appsandbox");
    static final long WAIT_S = 20;

    @TempDir
    static Path dir;
    static Vertx vertx;
    static Runtimes runtimes;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        runtimes = Runtimes.start(VertxTransport.workers(vertx), new Runtimes.Options(dir, 2, 1 << 20, 1 << 20, new BubblewrapProvider(), PackageSources.DEFAULT),
                InlineTier.unavailable("no test here runs Java inline"));
        assertThat(runtimes.isolation()).startsWith("bubblewrap");
    }

    @AfterAll
    static void stop() throws Exception {
        runtimes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---- one application ----

    @ParameterizedTest
    @CsvSource({"nodejs, python", "nodejs, nodejs", "python, python"})
    void functionsOfOneApplicationShareTmpAndLoopback(String first, String second) throws Exception {
        String app = "app-" + UUID.randomUUID();
        Instance a = start(revision("a", first, app));
        Instance b = start(revision("b", second, app));

        assertThat(run(b, op("whoami")).path("pidns")).as("one pid namespace")
                .isEqualTo(run(a, op("whoami")).path("pidns"));
        assertThat(runtimes.sandboxOf("guest/" + app)).isPresent();

        String file = "/tmp/shared-" + UUID.randomUUID();
        run(a, op("write").put("path", file).put("text", "from a"));
        assertThat(run(b, op("read").put("path", file)).path("text").asText()).isEqualTo("from a");

        int port = 7000 + (int) (Math.random() * 1000);
        run(a, op("listen").put("port", port).put("greeting", "hello from a"));
        assertThat(run(b, op("connect").put("port", port)).path("got").asText()).isEqualTo("hello from a");
        run(b, op("listen").put("port", port + 1).put("greeting", "hello from b"));
        assertThat(run(a, op("connect").put("port", port + 1)).path("got").asText()).isEqualTo("hello from b");

        kill(a, b);
    }

    // ---- two applications ----

    @ParameterizedTest
    @CsvSource({"nodejs, python", "python, nodejs"})
    void functionsOfTwoApplicationsShareNothing(String first, String second) throws Exception {
        Instance a = start(revision("a", first, "one-" + UUID.randomUUID()));
        Instance b = start(revision("b", second, "two-" + UUID.randomUUID()));

        assertThat(run(b, op("whoami")).path("pidns")).as("two pid namespaces")
                .isNotEqualTo(run(a, op("whoami")).path("pidns"));

        String file = "/tmp/private-" + UUID.randomUUID();
        run(a, op("write").put("path", file).put("text", "from a"));
        assertThat(run(a, op("read").put("path", file)).path("text").asText()).as("the control").isEqualTo("from a");
        assertThat(run(b, op("read").put("path", file)).path("code").asText()).isEqualTo("ENOENT");

        run(a, op("listen").put("port", 7100).put("greeting", "hello from a"));
        assertThat(run(a, op("connect").put("port", 7100)).path("got").asText()).as("the control")
                .isEqualTo("hello from a");
        assertThat(run(b, op("connect").put("port", 7100)).path("code").asText()).isEqualTo("ECONNREFUSED");

        kill(a, b);
    }

    // ---- one worker's end ----

    @Test
    void killingOneWorkerLeavesItsSiblingAndTheLastTakesTheSandboxWithIt() throws Exception {
        String app = "app-" + UUID.randomUUID();
        Instance a = start(revision("a", "nodejs", app));
        Instance b = start(revision("b", "python", app));
        String pidns = run(a, op("whoami")).path("pidns").asText();
        Sandbox sandbox = runtimes.sandboxOf("guest/" + app).orElseThrow();
        assertThat(processesIn(pidns)).as("the keeper and two workers").hasSize(3);

        a.kill("killed by the test");
        awaitDeath(a);
        assertThat(run(b, op("whoami")).path("pidns").asText()).as("the sibling answers").isEqualTo(pidns);
        assertThat(processesIn(pidns)).as("the keeper and the sibling").hasSize(2);
        assertThat(sandbox.ended()).isNotDone();

        b.kill("killed by the test");
        sandbox.ended().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(processesIn(pidns)).as("the sandbox's processes").isEmpty();
        assertThat(runtimes.sandboxOf("guest/" + app)).isEmpty();
    }

    @Test
    void aWorkersExitStatusIsItsOwn() throws Exception {
        String app = "app-" + UUID.randomUUID();
        Instance a = start(revision("a", "nodejs", app));
        Instance b = start(revision("b", "python", app));
        Instance c = start(revision("c", "nodejs", app));

        assertThat(outcome(a, op("exit").put("status", 7), new CopyOnWriteArrayList<>()))
                .isEqualTo(new RunOutcome.Crashed("The function's worker exited with status 7."));
        assertThat(outcome(b, op("exit").put("status", 5), new CopyOnWriteArrayList<>()))
                .isEqualTo(new RunOutcome.Crashed("The function's worker exited with status 5."));
        assertThat(run(c, op("whoami")).has("pidns")).as("the third answers").isTrue();
        kill(c);
    }

    @Test
    void rawOutputLinesAreTheirWorkersOwn() throws Exception {
        String app = "app-" + UUID.randomUUID();
        Instance a = start(revision("a", "nodejs", app));
        Instance b = start(revision("b", "python", app));
        List<String> logsA = new CopyOnWriteArrayList<>();
        List<String> logsB = new CopyOnWriteArrayList<>();

        CompletableFuture<RunOutcome> printA = outcomeAsync(a, op("print").put("text", "AAA").put("times", 10), logsA);
        CompletableFuture<RunOutcome> printB = outcomeAsync(b, op("print").put("text", "BBB").put("times", 10), logsB);
        printA.get(WAIT_S, TimeUnit.SECONDS);
        printB.get(WAIT_S, TimeUnit.SECONDS);

        assertThat(logsA).containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(10).map(i -> "AAA-" + i).toList());
        assertThat(logsB).containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(10).map(i -> "BBB-" + i).toList());
        kill(a, b);
    }

    // ---- helpers ----

    static FunctionRevision revision(String name, String runtime, String application) throws IOException {
        Kind kind = runtime.equals("nodejs") ? Kind.NODEJS : Kind.PYTHON;
        String code = Files.readString(PROBES.resolve(kind == Kind.NODEJS ? "probe.js" : "probe.py"));
        return new FunctionRevision("guest", FunctionSpec.of(name + "-" + UUID.randomUUID(), kind, Code.source(code),
                "main"), 1, Instant.now(), application);
    }

    static Instance start(FunctionRevision revision) throws Exception {
        return runtimes.start(revision, new Recording(new CopyOnWriteArrayList<>(), new CompletableFuture<>()))
                .get(WAIT_S, TimeUnit.SECONDS);
    }

    static ObjectNode op(String op) {
        return JsonNodeFactory.instance.objectNode().put("op", op);
    }

    static JsonNode run(Instance instance, ObjectNode params) throws Exception {
        RunOutcome outcome = outcome(instance, params, new CopyOnWriteArrayList<>());
        assertThat(outcome).as("%s", params).isInstanceOf(RunOutcome.Returned.class);
        return ((RunOutcome.Returned) outcome).result().tree();
    }

    static RunOutcome outcome(Instance instance, ObjectNode params, List<String> logs) throws Exception {
        return outcomeAsync(instance, params, logs).get(WAIT_S, TimeUnit.SECONDS);
    }

    static CompletableFuture<RunOutcome> outcomeAsync(Instance instance, ObjectNode params, List<String> logs) {
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        instance.run(new RunRequest(UUID.randomUUID().toString().replace("-", ""), params,
                Instant.now().plusSeconds(WAIT_S)), new Recording(logs, outcome));
        return outcome;
    }

    static void kill(Instance... instances) throws Exception {
        for (Instance instance : instances) {
            instance.kill("the test is over");
            awaitDeath(instance);
        }
    }

    static void awaitDeath(Instance instance) throws Exception {
        CompletableFuture<Void> dead = new CompletableFuture<>();
        instance.onDeath(() -> dead.complete(null));
        dead.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** The host's live processes in a pid namespace, e.g. {@code pid:[4026532301]}. */
    static List<Long> processesIn(String pidNamespace) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .filter(pid -> inNamespace(pid, pidNamespace) && !zombie(pid)).map(Long::parseLong).toList();
        }
    }

    private static boolean inNamespace(String pid, String pidNamespace) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "ns", "pid")).toString().equals(pidNamespace);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    private static boolean zombie(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }
}
