package dev.cove.core.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.Messages;
import dev.cove.core.model.ReplayableFailure;
import dev.cove.core.spi.ActivationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running a failed activation again takes: the function version it ran on and the parameters it
 * had, which activation records don't keep. Successes are not kept: their parameters would cost every
 * call, and a replay is for a failure.
 *
 * <p>Two places. Memory holds the node's last {@link #KEPT} failures with the version itself, whose
 * code a replay runs even once the function is deployed over. The store holds each namespace's last
 * {@link #STORED_PER_NAMESPACE}, as long as their records, with the version's number only (the store
 * keeps a function's current code, not the code it had): {@link #find} looks there when memory has
 * none, after a restart or past the {@link #KEPT}.
 *
 * <p>{@link #remember} is called as an activation ends, on the thread that ends it, and never blocks:
 * one writer thread stores the failures, all those waiting in one transaction, and until one is stored
 * {@link #find} answers it from those waiting. At most {@link #KEPT} wait, since parameters may be
 * several MB: past that, while the store is behind, a failure is not stored; nor is one the store
 * refuses, nor one that ends once the node is closing (each logged).
 *
 * <p>A function deployed with debugging off has its failures' parameters neither remembered nor
 * stored: memory keeps which function failed, so that a debugger's refusal can name it.
 */
final class Replays implements AutoCloseable {
    static final int KEPT = 100;
    static final int STORED_PER_NAMESPACE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A failed activation, as memory or the store has it.
     *
     * @param version the version of its function it ran on
     * @param code that version, while memory has it
     * @param params its parameters, the function's defaults merged; empty when its function is deployed
     *     with debugging off
     * @param inline whether it ran in the inline tier, in the server's JVM, which leaves no sandbox
     * @param started when it began
     */
    record Failure(String namespace, String activationId, String function, int version,
            Optional<FunctionRevision> code, Optional<JsonNode> params, boolean inline, Instant started) {

        /**
         * The version to run it on again: with {@code latest}, the current one; else the one it ran on,
         * which the store has only while it is the current one (under the same number, deployed before it
         * ran: a function deleted and deployed again counts from 1 again).
         *
         * @throws ConflictException when the version it ran on is deployed over and its code is gone
         */
        FunctionRevision runOn(FunctionRevision current, boolean latest) {
            if (latest) {
                return current;
            }
            if (code.isPresent()) {
                return code.get();
            }
            if (version == current.version() && !started.isBefore(current.updated())) {
                return current;
            }
            throw new ConflictException(Messages.codeNotKept(activationId, function,
                    FunctionRevision.semver(version), current.semver()));
        }
    }

    private final ActivationStore store;
    private final LinkedHashMap<String, Failure> remembered = new LinkedHashMap<>(KEPT, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failure> eldest) {
            return size() > KEPT;
        }
    };
    /** Failures on their way to the store, by activation id: each leaves once it is stored. */
    private final Map<String, Failure> unstored = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("cove-replay-writer").factory());

    Replays(ActivationStore store) {
        this.store = store;
    }

    /** Keeps what running the failed activation again takes, and stores it in the background; never blocks. */
    void remember(String activationId, Instant started, FunctionRevision revision, JsonNode params, boolean inline) {
        boolean kept = revision.spec().limits().debug();
        Failure failure = new Failure(revision.namespace(), activationId, revision.name(), revision.version(),
                Optional.of(revision), kept ? Optional.of(params) : Optional.empty(), inline, started);
        synchronized (this) {
            remembered.put(activationId, failure);
        }
        if (!kept) {
            return;
        }
        if (unstored.size() >= KEPT) {
            LOG.warn("the parameters of activation {} are not stored: {} failures wait for the store", activationId,
                    unstored.size());
            return;
        }
        unstored.put(activationId, failure);
        try {
            writer.execute(this::storeWaiting);
        } catch (RejectedExecutionException e) {
            unstored.remove(activationId);
            LOG.debug("activation {} failed as the node closed: its parameters are not stored", activationId);
        }
    }

    /** A failure memory has; never blocks. */
    synchronized Optional<Failure> remembered(String namespace, String activationId) {
        return Optional.ofNullable(remembered.get(activationId)).filter(f -> f.namespace().equals(namespace));
    }

    /** A failure memory has, or else the store: blocks on it then. */
    Optional<Failure> find(String namespace, String activationId) {
        Optional<Failure> found = remembered(namespace, activationId);
        if (found.isPresent()) {
            return found;
        }
        Failure waiting = unstored.get(activationId); // first: one leaves it only once stored
        if (waiting != null) {
            return Optional.of(waiting).filter(f -> f.namespace().equals(namespace));
        }
        return store.replayableFailure(namespace, activationId).map(Replays::fromStore);
    }

    private static Failure fromStore(ReplayableFailure stored) {
        try {
            return new Failure(stored.namespace(), stored.activationId(), stored.function(), stored.version(),
                    Optional.empty(), Optional.of(JSON.readTree(stored.params())), stored.inline(), stored.started());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored parameters of activation " + stored.activationId()
                    + " are not JSON", e);
        }
    }

    /** Stores every failure waiting, in one transaction; on the writer's thread. */
    private void storeWaiting() {
        List<Failure> batch = List.copyOf(unstored.values());
        if (batch.isEmpty()) {
            return; // an earlier run took them
        }
        List<ReplayableFailure> rows = new ArrayList<>(batch.size());
        for (Failure f : batch) {
            rows.add(new ReplayableFailure(f.namespace(), f.activationId(), f.function(), f.version(), f.inline(),
                    f.params().orElseThrow().toString(), f.started()));
        }
        try {
            store.putReplayableFailures(rows, STORED_PER_NAMESPACE);
        } catch (RuntimeException e) {
            LOG.warn("could not store the parameters of {} failed activations: {}", rows.size(), e.getMessage());
        } finally {
            batch.forEach(f -> unstored.remove(f.activationId(), f));
        }
    }

    /** Stores the failures already given, then takes no more. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the parameters of {} failed activations were not stored in time", unstored.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
