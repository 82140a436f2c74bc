package dev.cove.core.invoke;

import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.spi.ActivationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes activation records to the store off the invocation path, with group commit: one writer
 * thread takes whatever has ended since its last write (up to {@link #MAX_BATCH}) and stores it in one
 * transaction, at least every {@code flushInterval}.
 *
 * <p>The window: a record reaches the store within about {@code flushInterval} (20 ms by default) of
 * its activation's end. A crash of the process loses at most the records still in that window: of
 * invocations whose callers waited, which have had their answers; those accepted without waiting are
 * still queued in the store until their records commit, and run again at the next start (see
 * {@link AsyncInvocations}). Until a record is stored, {@link #recent} serves it.
 * When the store falls behind by {@code maxBacklog} records, {@link #full()} tells the dispatcher to
 * refuse new invocations rather than grow without bound.
 *
 * <p>Records older than the retention period are removed once an hour (and at start), and so are the
 * debug sessions opened before it and the parameters kept of failed activations that started before it.
 */
public final class ActivationLog implements AutoCloseable {
    static final int MAX_BATCH = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(ActivationLog.class);
    private static final long RETRY_DELAY_MS = 1000;

    private final ActivationStore store;
    private final Clock clock;
    private final Duration flushInterval;
    private final int maxBacklog;
    private final Duration retention;
    /**
     * Records in the order they ended, from their activation's end until they are stored: the writer
     * takes them from the head only once they are. One lock-free queue: a map beside a blocking queue
     * took 0.17 µs of a warm echo's CPU in a profile. Finding one record is a scan, which reads afford.
     */
    private final ConcurrentLinkedQueue<ActivationRecord> unstored = new ConcurrentLinkedQueue<>();
    /** How many are in {@link #unstored}: counted after each is added, so never more than are there. */
    private final AtomicInteger backlog = new AtomicInteger();
    private final Thread writer;
    private final ScheduledExecutorService janitor;
    private volatile boolean closing;

    private ActivationLog(ActivationStore store, Clock clock, Duration flushInterval, int maxBacklog,
            Duration retention) {
        this.store = store;
        this.clock = clock;
        this.flushInterval = flushInterval;
        this.maxBacklog = maxBacklog;
        this.retention = retention;
        this.writer = Thread.ofPlatform().name("cove-activation-writer").daemon().unstarted(this::writeLoop);
        this.janitor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("cove-retention").daemon().unstarted(r));
    }

    public static ActivationLog start(ActivationStore store, Clock clock, Duration flushInterval, int maxBacklog,
            Duration retention) {
        ActivationLog log = new ActivationLog(store, clock, flushInterval, maxBacklog, retention);
        log.writer.start();
        log.janitor.scheduleWithFixedDelay(log::removeExpired, 0, 1, TimeUnit.HOURS);
        return log;
    }

    /**
     * Queues an activation's record: its parts, with its result as the bytes it already has, rather
     * than the activation, so that a backlog the writer works through costs the garbage collector a
     * few arrays per activation, not a trace of its result's JSON tree (young pauses of 36 ms were
     * seen copying 20 MB of such trees). Its JSON is written only if it is read before it is stored.
     */
    void add(Activation activation) {
        add(activation.toRecord());
    }

    /** Queues the record of an activation that ran no function (a trigger's fire). */
    public void add(ActivationRecord record) {
        unstored.add(record);
        if (backlog.getAndIncrement() == 0) {
            LockSupport.unpark(writer);
        }
    }

    /** The store it writes to, which keeps what goes with the records (the parameters of failures). */
    ActivationStore store() {
        return store;
    }

    /** True when the store is so far behind that new invocations should be refused. */
    boolean full() {
        return backlog.get() >= maxBacklog;
    }

    /** One activation, stored or just ended. Blocks on the store. */
    public Optional<ActivationRecord> activation(String namespace, String activationId) {
        Optional<ActivationRecord> recent = recent(namespace, activationId);
        return recent.isPresent() ? recent : store.activation(namespace, activationId);
    }

    /**
     * Activations newest first, including those ended but not yet stored: the store's first
     * skip + limit and the unstored ones, merged, then paged. Blocks on the store.
     */
    public List<ActivationRecord> activations(ActivationQuery query) {
        ActivationQuery firstPages = new ActivationQuery(query.namespace(), query.name(), query.sinceMillis(),
                query.uptoMillis(), 0, (int) Math.min(Integer.MAX_VALUE, (long) query.skip() + query.limit()));
        List<ActivationRecord> unstored = unstored(query); // first: see withUnstored
        return withUnstored(store.activations(firstPages), unstored).stream()
                .sorted(Comparator.comparingLong(ActivationRecord::startMillis)
                        .thenComparing(ActivationRecord::activationId).reversed())
                .skip(query.skip()).limit(query.limit()).toList();
    }

    /**
     * An activation and every activation it caused, directly or through others, at most {@code max}:
     * the whole chain of calls below it, parents before their children, each level oldest first.
     * Blocks on the store.
     */
    public List<ActivationRecord> chain(String namespace, String activationId, int max) {
        Optional<ActivationRecord> root = activation(namespace, activationId);
        if (root.isEmpty()) {
            return List.of();
        }
        List<ActivationRecord> chain = new ArrayList<>(List.of(root.get()));
        for (int next = 0; next < chain.size() && chain.size() < max; next++) {
            String parent = chain.get(next).activationId();
            List<ActivationRecord> unstored = unstoredCausedBy(namespace, parent); // first: see withUnstored
            withUnstored(store.activationsCausedBy(namespace, parent), unstored)
                    .stream().sorted(Comparator.comparing(ActivationRecord::activationId))
                    .limit(max - chain.size()).forEach(chain::add);
        }
        return chain;
    }

    /**
     * Stored records and those not stored yet, each once (a record may be in both while it is
     * written). The unstored ones must be read before the store: a record leaves them only once it is
     * stored, so read in that order none is missed, where the other order misses those written between
     * the two reads.
     */
    private static List<ActivationRecord> withUnstored(List<ActivationRecord> stored, List<ActivationRecord> unstored) {
        Map<String, ActivationRecord> byId = new LinkedHashMap<>();
        stored.forEach(r -> byId.put(r.activationId(), r));
        unstored.forEach(r -> byId.putIfAbsent(r.activationId(), r));
        return List.copyOf(byId.values());
    }

    /** An activation that has ended but whose record may not be in the store yet. */
    Optional<ActivationRecord> recent(String namespace, String activationId) {
        for (ActivationRecord r : unstored) {
            if (r.activationId().equals(activationId)) {
                return Optional.of(r).filter(found -> found.namespace().equals(namespace));
            }
        }
        return Optional.empty();
    }

    /** The ended, not yet stored activations a query would list, in no order. */
    List<ActivationRecord> unstored(ActivationQuery q) {
        return unstored.stream()
                .filter(r -> r.namespace().equals(q.namespace()))
                .filter(r -> q.name().map(r.name()::equals).orElse(true))
                .filter(r -> q.sinceMillis().map(s -> r.startMillis() >= s).orElse(true))
                .filter(r -> q.uptoMillis().map(u -> r.startMillis() <= u).orElse(true))
                .toList();
    }

    /** The ended, not yet stored activations the given one caused, in no order. */
    List<ActivationRecord> unstoredCausedBy(String namespace, String activationId) {
        return unstored.stream()
                .filter(r -> r.namespace().equals(namespace) && r.causedBy().filter(activationId::equals).isPresent())
                .toList();
    }

    /**
     * Removes records older than the retention period, and the debug sessions opened before it (the
     * shells on activations whose records go) and the failed activations' parameters (those whose
     * records go); answers how many records.
     */
    int removeExpired() {
        try {
            long cutoff = clock.instant().minus(retention).toEpochMilli();
            int removed = store.deleteActivationsStartedBefore(cutoff);
            if (removed > 0) {
                LOG.info("removed {} activation records older than {}", removed, retention);
            }
            int sessions = store.deleteDebugSessionsOpenedBefore(cutoff);
            if (sessions > 0) {
                LOG.info("removed {} debug sessions older than {}", sessions, retention);
            }
            int failures = store.deleteReplayableFailuresStartedBefore(cutoff);
            if (failures > 0) {
                LOG.info("removed the parameters of {} failed activations older than {}", failures, retention);
            }
            return removed;
        } catch (RuntimeException e) {
            LOG.warn("could not remove old activation records, debug sessions or parameters: {}", e.getMessage());
            return 0;
        }
    }

    private void writeLoop() {
        List<ActivationRecord> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            int waiting = backlog.get();
            if (waiting == 0) {
                if (closing) {
                    return;
                }
                LockSupport.park(this); // until the next record, or close's interrupt
                continue;
            }
            for (ActivationRecord r : unstored) {
                batch.add(r);
                if (batch.size() == Math.min(waiting, MAX_BATCH)) {
                    break;
                }
            }
            if (!writeWithRetry(batch)) {
                return; // closing, and the store refuses: what is left is lost, as a crash would lose it
            }
            boolean full = batch.size() == MAX_BATCH;
            batch.clear();
            if (!full) {
                pauseForTheNextGroup(); // a full batch means more is waiting: no pause
            }
        }
    }

    private void pauseForTheNextGroup() {
        if (!closing) {
            try {
                Thread.sleep(flushInterval.toMillis());
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    /** Stores the batch, trying again until it is stored or the log closes; answers whether it was. */
    private boolean writeWithRetry(List<ActivationRecord> batch) {
        while (true) {
            try {
                store.putActivations(batch);
                break;
            } catch (RuntimeException e) {
                if (closing) {
                    LOG.error("could not store {} activation records, which are lost: {}", backlog.get(), e.getMessage());
                    return false;
                }
                LOG.error("could not store {} activation records, retrying: {}", batch.size(), e.getMessage());
                try {
                    Thread.sleep(RETRY_DELAY_MS);
                } catch (InterruptedException interrupted) {
                    closing = true;
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            unstored.poll(); // the batch is the queue's head, and only this thread takes from it
        }
        backlog.addAndGet(-batch.size());
        return true;
    }

    /** Stores everything queued, then stops. */
    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        janitor.shutdownNow();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
