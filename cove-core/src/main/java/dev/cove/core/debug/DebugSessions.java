package dev.cove.core.debug;

import dev.cove.core.model.DebugSession;
import dev.cove.core.spi.ActivationStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of debug shells, in the store: who opened one, when, on what, for how long, and how
 * it ended (docs/debugging.md).
 *
 * <p>An opening is stored on the caller's thread before the shell takes a key, so that no shell runs
 * unrecorded. An end is stored in the background, since it is heard on an event loop: one writer
 * thread stores the ends in the order they come, which matters because a session may end twice (its
 * WebSocket closes, then the killed shell's exit status comes) and the later write must win. Until an
 * end is stored, {@link #list} answers it. Ends that come once the node is closing are not stored: the
 * session stays without its close, as one whose server was killed does. Old sessions leave the store
 * with the activation records, after the same retention (ActivationLog).
 */
public final class DebugSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DebugSessions.class);

    private final ActivationStore store;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("cove-debug-session-writer").factory());
    /** Ends on their way to the store, by session id: the latest of each. */
    private final Map<String, DebugSession> unstored = new ConcurrentHashMap<>();

    private DebugSessions(ActivationStore store) {
        this.store = store;
    }

    public static DebugSessions create(ActivationStore store) {
        return new DebugSessions(store);
    }

    /** Stores a session as it opens; blocks on the store, and throws what the store throws. */
    public void opened(DebugSession session) {
        store.putDebugSession(session);
    }

    /** Stores what is known of a session's end, after the ends given before it; never blocks. */
    public void ended(DebugSession session) {
        unstored.put(session.id(), session);
        try {
            writer.execute(() -> store(session));
        } catch (RejectedExecutionException e) {
            unstored.remove(session.id(), session);
            LOG.debug("the end of the debug session {} came as the node closed: not stored", session.id());
        }
    }

    private void store(DebugSession session) {
        try {
            store.putDebugSession(session);
        } catch (RuntimeException e) {
            LOG.warn("could not store the end of the debug session {} on {}: {}", session.id(), session.target(),
                    e.getMessage());
        } finally {
            unstored.remove(session.id(), session); // a later end of the same session stays until it is stored
        }
    }

    /** The namespace's sessions, the most recently opened first, at most {@code limit}. Blocks on the store. */
    public List<DebugSession> list(String namespace, int limit) {
        Map<String, DebugSession> ending = Map.copyOf(unstored); // first: an end leaves it only once stored
        return store.debugSessions(namespace, limit).stream().map(s -> ending.getOrDefault(s.id(), s)).toList();
    }

    /** Stores the ends already given, then takes no more. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the ends of {} debug sessions were not stored in time", unstored.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
