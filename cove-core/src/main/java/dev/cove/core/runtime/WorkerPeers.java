package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions a worker runs itself when its function calls them (docs/worker-protocol.md, "peer"):
 * offered once per version after a call that waited for them, and taken back once calls would reach
 * another version or the platform refuses invocations. Each such call (a fused frame) is opened as an
 * activation of the platform's like any other.
 */
final class WorkerPeers {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPeers.class);

    private final ProcessWorker worker;
    private final WorkerLink link;
    private final Map<String, WorkerRun> runs;
    /** Every function version offered to this worker to run itself (peer frames), by name@semver, as fused frames name them. */
    private final Map<String, FunctionRevision> offered = new ConcurrentHashMap<>();
    /** The version of each function the worker holds as a peer now, as far as the platform knows. */
    private final Map<String, Integer> peers = new ConcurrentHashMap<>();

    WorkerPeers(ProcessWorker worker, WorkerLink link, Map<String, WorkerRun> runs) {
        this.worker = worker;
        this.link = link;
        this.runs = runs;
    }

    /**
     * Offers the worker a function it may run itself from now on (docs/worker-protocol.md, "peer"): one
     * of the same application it can host, at the version calls reach now, offered once per version,
     * and not while the platform refuses invocations.
     */
    void offer(String name) {
        Calls calls = worker.services().calls();
        Optional<FunctionRevision> callee = calls.revisionOf(worker.function(), name);
        if (callee.isEmpty() || !hosts(callee.get()) || calls.refusing()) {
            return;
        }
        FunctionRevision peer = callee.get();
        Integer held = peers.put(name, peer.version());
        if (held != null && held == peer.version()) {
            return; // offered already: the worker could not load it, or its depth was at the limit
        }
        offered.put(peer.name() + "@" + peer.semver(), peer);
        CompletableFuture.supplyAsync(() -> expose(peer), worker.services().fileWork()).whenComplete((inside, failure) -> {
            if (failure != null) {
                LOG.debug("{} could not be offered to worker {}: {}", peer.name(), worker.pid(), failure.getMessage());
                return;
            }
            link.send(peerFrame(peer, inside));
        });
    }

    private String expose(FunctionRevision peer) {
        try {
            return worker.sandbox().expose(codeKey(peer), worker.services().code().ensure(peer));
        } catch (IOException | InvalidFunctionException e) {
            throw new CompletionException(e);
        }
    }

    private ObjectNode peerFrame(FunctionRevision peer, String entry) {
        Limits limits = peer.spec().limits();
        ObjectNode frame = Frames.object()
                .put("type", "peer")
                .put("name", peer.name())
                .put("version", peer.semver())
                .put("entry", entry)
                .put("main", peer.spec().main())
                .put("kind", peer.spec().kind().kindName())
                .put("timeoutMs", limits.timeout().toMillis())
                .put("memoryMb", limits.memoryMb())
                .put("maxLogBytes", Math.min(worker.services().maxLogBytes(), limits.logBytes()));
        frame.set("params", peer.spec().parameters());
        return frame;
    }

    /**
     * Whether this worker can run a function's calls itself: one of its own application, runtime,
     * environment (a process has one), dependencies (so are its module paths) and network, whose code is one source file (a folder brings its
     * own module paths), and whose memory limit is no more than this worker's, within which its calls
     * then run. The sandbox is the application's already.
     */
    private boolean hosts(FunctionRevision callee) {
        FunctionRevision own = worker.function();
        return callee.applicationPath().equals(own.applicationPath())
                && callee.spec().limits().memoryMb() <= own.spec().limits().memoryMb()
                && callee.spec().kind() == own.spec().kind()
                && !callee.spec().code().binary()
                && callee.spec().env().equals(own.spec().env())
                && callee.spec().dependencies().equals(own.spec().dependencies())
                && callee.spec().limits().network() == own.spec().limits().network();
    }

    /**
     * A version's folder in the sandbox, {@code /code/NAME@VERSION} as a {@link FileNames file name}, for a
     * worker's own code and its peers': one folder, not two, since a mkdir takes about 0.2 ms here, on
     * every cold start.
     */
    static String codeKey(FunctionRevision revision) {
        return FileNames.of(revision.name() + "@" + revision.version());
    }

    /**
     * A call this worker runs itself (docs/worker-protocol.md, "fused"): the platform opens the callee's
     * activation, under the id both sides compute, and hears of it as of a run. A callee that is no
     * longer what calls would reach is still recorded, as the version that ran, and taken back from the
     * worker; so is every callee while the platform refuses invocations, so that a function calling in a
     * loop meets the refusal (a full store would otherwise queue its records without bound).
     */
    void onFused(JsonNode fields) {
        String callerId = fields.path("activation").asText("");
        WorkerRun caller = runs.get(callerId);
        long n = fields.path("n").asLong(0);
        String id = fields.path("id").asText("");
        FunctionRevision callee = offered.get(fields.path("name").asText("") + "@" + fields.path("version").asText(""));
        if (caller == null || n <= caller.lastFused || !id.equals(fusedId(callerId, n)) || callee == null
                || runs.containsKey(id)) {
            worker.onProtocolViolation("sent a fused frame the platform can't accept: " + fields);
            return;
        }
        caller.lastFused = n;
        Calls calls = worker.services().calls();
        runs.put(id, new WorkerRun(calls.fused(callerId, id, callee, worker), callee));
        Optional<FunctionRevision> now = calls.revisionOf(worker.function(), callee.name());
        if ((now.isEmpty() || now.get().version() != callee.version() || !hosts(now.get()) || calls.refusing())
                && peers.remove(callee.name(), callee.version())) {
            // unless a newer version was offered since, which replaced this one in the worker already
            link.send(Frames.object().put("type", "unpeer").put("name", callee.name()));
        }
    }

    /**
     * The id of the {@code n}th fused call of activation {@code callerId}: its first 12 characters (the
     * time, so that ids still sort by it) and 20 hex digits of SHA-256 of {@code callerId/n}.
     */
    static String fusedId(String callerId, long n) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((callerId + "/" + n).getBytes(StandardCharsets.UTF_8));
            String prefix = callerId.length() >= 12 ? callerId.substring(0, 12) : callerId;
            return prefix + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
