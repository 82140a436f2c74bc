package dev.cove.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ExecutionRecord;
import dev.cove.core.spi.Store;
import dev.cove.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a real {@code cove up} at random moments under a load of invocations answered
 * 202 and of workflow executions started without waiting, several times over on one data folder:
 * after the last restart every id the server accepted has a record, and exactly one.
 *
 * <p>The moment it aims at: an activation ending, whose invocation is queued in the store and whose
 * record waits for its group commit. Functions that return at once under a steady load keep hundreds
 * of activations a second ending, so that any moment of a kill falls in that window for some.
 */
class KillUnderLoadIT {
    private static final int ROUNDS = 8;
    private static final int FUNCTIONS = 8;
    private static final int INVOKERS = 12;
    /** How many more are accepted after each start before the kill: the load is flowing, not starting. */
    private static final int ACCEPTED_PER_ROUND = 100;
    /** The kill falls this long, at random, after that. */
    private static final int KILL_WITHIN_MS = 500;
    private static final long DEADLINE_S = 60;
    /** How long a load thread waits after a refused connection: no busier than needed while a server starts. */
    private static final long BACK_OFF_MS = 100;

    @TempDir
    Path dir;

    @Test
    void everyAcceptedIdHasExactlyOneRecordAfterKillsUnderLoad() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (ServerProcess server = new ServerProcess(dir).start()) {
            deploy(server);
            Load load = new Load(server);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    load.awaitMoreAccepted(ACCEPTED_PER_ROUND);
                    Thread.sleep(random.nextInt(KILL_WITHIN_MS));
                    server.kill();
                    server.start();
                }
                load.awaitMoreAccepted(ACCEPTED_PER_ROUND); // the last start serves new ones too
            } finally {
                load.stop();
            }
            String about = ROUNDS + " kills, seed " + seed + ", " + load;
            System.out.println("KillUnderLoadIT: " + about);
            awaitRecords(server, load.activations, about);
            awaitExecutionsEnded(server, load.executions, about);
            server.stop();
            assertEachRecordedOnce(server.dataDir(), load, about);
        }
    }

    private static void deploy(ServerProcess server) throws Exception {
        for (int i = 0; i < FUNCTIONS; i++) {
            ObjectNode action = ServerProcess.JSON.createObjectNode();
            action.putObject("exec").put("kind", "nodejs:20").put("code", "function main(p) { return {n: p.n}; }");
            action.putObject("limits").put("maxInstances", 1);
            ServerProcess.json(server.put("/api/v1/namespaces/_/actions/f" + i, action.toString()), 200);
        }
        String app = """
                {"functions": [{"name": "step", "exec": {"kind": "nodejs:20", "code": "function main(p) { return {n: p.n + 1}; }"}}],
                 "workflow": {"StartAt": "Step", "States": {"Step": {"Type": "Task", "Resource": "step", "End": true}}}}""";
        ServerProcess.json(server.put("/api/v1/namespaces/_/applications/flow", app), 200);
    }

    /** Asks for each id's record until every one has answered 200, or the deadline. */
    private static void awaitRecords(ServerProcess server, Set<String> ids, String about) throws Exception {
        Set<String> missing = new HashSet<>(ids);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            for (var it = missing.iterator(); it.hasNext(); ) {
                if (server.get("/api/v1/namespaces/_/activations/" + it.next()).statusCode() == 200) {
                    it.remove();
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(missing).as("of %d activations accepted with a 202, these have no record %d s after the last "
                + "restart; %s", ids.size(), DEADLINE_S, about).isEmpty();
    }

    /** Asks for each execution until none is running any more, or the deadline; each must have succeeded. */
    private static void awaitExecutionsEnded(ServerProcess server, Set<String> ids, String about) throws Exception {
        Map<String, String> status = new TreeMap<>();
        ids.forEach(id -> status.put(id, ExecutionRecord.RUNNING));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
        while (status.containsValue(ExecutionRecord.RUNNING) && System.nanoTime() < deadline) {
            for (Map.Entry<String, String> e : status.entrySet()) {
                if (e.getValue().equals(ExecutionRecord.RUNNING)) {
                    HttpResponse<String> answer = server.get("/api/v1/namespaces/_/executions/" + e.getKey());
                    e.setValue(answer.statusCode() == 200
                            ? ServerProcess.JSON.readTree(answer.body()).path("status").asText() : "no record");
                }
            }
            if (status.containsValue(ExecutionRecord.RUNNING)) {
                Thread.sleep(100);
            }
        }
        status.values().removeIf("SUCCEEDED"::equals);
        assertThat(status).as("of %d executions started with a 202, these did not succeed; %s", ids.size(), about)
                .isEmpty();
    }

    /** Counts the records in the stopped server's store: the REST API would not show an id's second one. */
    private static void assertEachRecordedOnce(Path dataDir, Load load, String about) {
        try (Store store = SqliteStore.open(dataDir.resolve("cove.db"))) {
            Map<String, Long> activations = store.activations(ActivationQuery.latest("guest", Integer.MAX_VALUE))
                    .stream().collect(Collectors.groupingBy(ActivationRecord::activationId, Collectors.counting()));
            assertThat(notOnce(load.activations, activations)).as("activations accepted with a 202 whose records "
                    + "are not exactly one, with their count; %s", about).isEmpty();
            Map<String, Long> executions = store.executions("guest", "flow", Integer.MAX_VALUE).stream()
                    .collect(Collectors.groupingBy(ExecutionRecord::executionId, Collectors.counting()));
            assertThat(notOnce(load.executions, executions)).as("executions started with a 202 whose records "
                    + "are not exactly one, with their count; %s", about).isEmpty();
        }
    }

    private static Map<String, Long> notOnce(Set<String> accepted, Map<String, Long> counts) {
        return accepted.stream().filter(id -> counts.getOrDefault(id, 0L) != 1)
                .collect(Collectors.toMap(Function.identity(), id -> counts.getOrDefault(id, 0L), (a, b) -> a,
                        TreeMap::new));
    }

    /**
     * Threads that keep invoking the functions without waiting, and one that keeps starting the
     * workflow, through kills and restarts alike: what the server answers 202 is accepted.
     */
    private static final class Load {
        final Set<String> activations = ConcurrentHashMap.newKeySet();
        final Set<String> executions = ConcurrentHashMap.newKeySet();
        private final ServerProcess server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Map<String, AtomicInteger> otherAnswers = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        Load(ServerProcess server) {
            this.server = server;
            for (int t = 0; t < INVOKERS; t++) {
                int first = t;
                threads.add(Thread.ofPlatform().name("invoker-" + t).start(() -> keep(n -> accept(server.post(
                        "/api/v1/namespaces/_/actions/f" + ((first + n) % FUNCTIONS) + "?blocking=false",
                        "{\"n\": " + n + "}"), "activationId", activations))));
            }
            threads.add(Thread.ofPlatform().name("starter").start(() -> keep(n -> accept(server.post(
                    "/api/v1/namespaces/_/applications/flow/executions", "{\"n\": " + n + "}"), "executionId",
                    executions))));
        }

        private interface Request {
            void send(int n) throws IOException, InterruptedException;
        }

        private void keep(Request request) {
            for (int n = 0; !stopping; n++) {
                try {
                    request.send(n);
                } catch (IOException e) { // killed, or not started yet
                    count(e.getClass().getSimpleName());
                    try {
                        Thread.sleep(BACK_OFF_MS);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void accept(HttpResponse<String> answer, String field, Set<String> into) throws IOException {
            if (answer.statusCode() == 202) {
                into.add(ServerProcess.JSON.readTree(answer.body()).path(field).asText());
                accepted.incrementAndGet();
            } else {
                count(Integer.toString(answer.statusCode()));
            }
        }

        private void count(String answer) {
            otherAnswers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
        }

        void awaitMoreAccepted(int more) throws InterruptedException {
            int target = accepted.get() + more;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
            while (accepted.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(accepted.get()).as("202s; other answers: %s", otherAnswers).isGreaterThanOrEqualTo(target);
        }

        void stop() throws InterruptedException {
            stopping = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(DEADLINE_S));
            }
        }

        @Override
        public String toString() {
            return activations.size() + " activations and " + executions.size() + " executions accepted, other answers "
                    + otherAnswers;
        }
    }
}
