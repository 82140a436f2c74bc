package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Admission;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.Messages;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.spi.ActivationStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invocations whose callers don't wait (an HTTP 202, a {@code ctx.send}): each is in the store before
 * it is admitted and answered, and leaves the store in the transaction that stores its activation's
 * record (see {@link ActivationStore#putActivations}), so that a server that stops or crashes runs at
 * its next start whatever it had accepted and not recorded.
 *
 * <p>One writer thread stores what has arrived since its last write in one transaction (group commit:
 * under load one write answers many), then admits those invocations to the dispatcher under the ids
 * their callers are given. An invocation the dispatcher refuses is removed and the refusal answered.
 *
 * <p>Each accepted invocation is recorded exactly once: an activation under way or ended, but whose
 * record was not yet committed, when the process dies runs again after the restart, and one whose
 * record was is no longer queued. (Removing an ended one from the queue in a transaction of its own
 * lost both whenever the process died between that and its record's group commit.) Invocations still
 * queued or running at a clean shutdown stay in the store: the dispatcher ends them without a record,
 * and they run at the next start.
 */
public final class AsyncInvocations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncInvocations.class);
    private static final int MAX_BATCH = 1000;
    private static final long RETRY_DELAY_MS = 1000;

    /**
     * @param recovered kept from before a restart: a refusal is retried, never dropped
     * @param depth how deep in its chain of calls (not stored: a chain recovered after a restart counts
     *     afresh, so it is still bounded)
     */
    private record Submitted(QueuedInvocation invocation, FunctionRevision revision,
            CompletableFuture<Admission> admitted, boolean recovered, int depth) {}

    private final ActivationStore store;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final LinkedBlockingQueue<Submitted> arrivals = new LinkedBlockingQueue<>();
    private final List<Submitted> refusedAtRecovery = new ArrayList<>();
    private final Set<String> unfinished = ConcurrentHashMap.newKeySet();
    /** When the refused recovered invocations, and a batch the store refused, are tried again (clock millis). */
    private long retryAt;
    private long storeRetryAt;
    private final Thread writer;
    private volatile boolean closing;

    private AsyncInvocations(ActivationStore store, Dispatcher dispatcher, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.writer = Thread.ofPlatform().name("cove-async-writer").daemon().unstarted(this::writeLoop);
    }

    public static AsyncInvocations start(ActivationStore store, Dispatcher dispatcher, Clock clock) {
        AsyncInvocations async = new AsyncInvocations(store, dispatcher, clock);
        async.writer.start();
        return async;
    }

    /** Stores, then admits, an invocation nobody waits for; completes with the dispatcher's answer. */
    public CompletableFuture<Admission> submit(FunctionRevision revision, ObjectNode params) {
        return submit(revision, params, Optional.empty(), 1);
    }

    /** As {@link #submit}, sent by the function of the activation {@code callerId}. */
    public CompletableFuture<Admission> submitFrom(String callerId, FunctionRevision revision,
            ObjectNode params) {
        int depth = dispatcher.depthOfCallFrom(callerId);
        return Dispatcher.tooDeep(depth).map(CompletableFuture::completedFuture)
                .orElseGet(() -> submit(revision, params, Optional.of(callerId), depth));
    }

    private CompletableFuture<Admission> submit(FunctionRevision revision, ObjectNode params,
            Optional<String> causedBy, int depth) {
        CompletableFuture<Admission> admitted = new CompletableFuture<>();
        if (closing) {
            admitted.complete(new Admission.Rejected(Messages.SHUTTING_DOWN));
            return admitted;
        }
        QueuedInvocation invocation = new QueuedInvocation(dispatcher.newActivationId(), revision.namespace(),
                revision.name(), params, causedBy, clock.millis());
        arrivals.add(new Submitted(invocation, revision, admitted, false, depth));
        return admitted;
    }

    /**
     * Admits what the store kept from before a restart, under the ids their callers were given; those
     * whose function has since been deleted are dropped. Answers how many were admitted.
     */
    public int recover(BiFunction<String, String, Optional<FunctionRevision>> functions) {
        List<String> dropped = new ArrayList<>();
        int admitted = 0;
        for (QueuedInvocation q : store.queued()) {
            Optional<FunctionRevision> revision = functions.apply(q.namespace(), q.name());
            if (revision.isEmpty()) {
                LOG.warn("dropped the queued invocation {} of {}/{}: the function no longer exists",
                        q.activationId(), q.namespace(), q.name());
                dropped.add(q.activationId());
            } else {
                arrivals.add(new Submitted(q, revision.get(), new CompletableFuture<>(), true, 1));
                admitted++;
            }
        }
        if (!dropped.isEmpty()) {
            store.removeQueued(dropped);
        }
        return admitted;
    }

    private void writeLoop() {
        List<Submitted> batch = new ArrayList<>();
        while (!closing || !arrivals.isEmpty() || !batch.isEmpty()) {
            try {
                Submitted first = arrivals.poll(20, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    arrivals.drainTo(batch, MAX_BATCH - batch.size());
                }
                if (!batch.isEmpty() && clock.millis() >= storeRetryAt && storeAndAdmit(batch)) {
                    batch.clear();
                }
                retryRefused();
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    /** Stores the fresh invocations of the batch, then admits them all; false when the store failed (it is tried again). */
    private boolean storeAndAdmit(List<Submitted> batch) {
        List<QueuedInvocation> fresh = batch.stream().filter(s -> !s.recovered())
                .map(Submitted::invocation).toList();
        if (!fresh.isEmpty()) {
            try {
                store.putQueued(fresh);
            } catch (RuntimeException e) {
                LOG.error("could not store {} queued invocations, retrying: {}", fresh.size(), e.getMessage());
                storeRetryAt = clock.millis() + RETRY_DELAY_MS;
                return false;
            }
        }
        List<String> refused = new ArrayList<>();
        for (Submitted s : batch) {
            QueuedInvocation q = s.invocation();
            Admission admission = dispatcher.admit(q.activationId(), s.revision(), q.params(), q.causedBy(), s.depth());
            if (admission instanceof Admission.Accepted a) {
                unfinished.add(q.activationId());
                a.completion().whenComplete((activation, error) -> onEnded(q.activationId()));
            } else if (s.recovered()) {
                refusedAtRecovery.add(s);
                retryAt = clock.millis() + RETRY_DELAY_MS;
            } else {
                refused.add(q.activationId());
            }
            s.admitted().complete(admission);
        }
        if (!refused.isEmpty()) {
            store.removeQueued(refused);
        }
        return true;
    }

    /** Invocations recovered at start that the dispatcher refused (a full queue) try again a moment later. */
    private void retryRefused() {
        if (!refusedAtRecovery.isEmpty() && !closing && clock.millis() >= retryAt) {
            arrivals.addAll(refusedAtRecovery);
            refusedAtRecovery.clear();
        }
    }

    /** An ended activation is finished, unless the platform is shutting down (it ended it). */
    private void onEnded(String activationId) {
        if (!closing) {
            unfinished.remove(activationId);
        }
    }

    /** The admitted invocations that have not ended: after {@link #close}, those the next start runs. */
    public Set<String> unfinished() {
        return Set.copyOf(unfinished);
    }

    /** Stores and admits what has arrived, then stops; call before the dispatcher's close. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
