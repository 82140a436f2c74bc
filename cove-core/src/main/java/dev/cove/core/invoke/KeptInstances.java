package dev.cove.core.invoke;

import dev.cove.core.model.Debugging;
import dev.cove.core.spi.Instance;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The instances failed activations ran on, kept out of service with their sandboxes for a person to
 * debug ({@link Debugging}): at most {@code keep} at once, the oldest going first past that, each for
 * the window from its failure. Each holds its memory in the node's budget until it goes.
 */
final class KeptInstances {

    /**
     * @param goes ends the instance and lets its sandbox go
     */
    record Kept(String namespace, String function, String activationId, Instance instance, long sinceMs,
            Runnable goes) {}

    private final Debugging settings;
    /** By activation id, oldest first. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();

    KeptInstances(Debugging settings) {
        this.settings = settings;
    }

    void keep(Kept instance) {
        List<Kept> going = new ArrayList<>();
        synchronized (this) {
            kept.put(instance.activationId(), instance);
            Iterator<Kept> oldest = kept.values().iterator();
            while (kept.size() > settings.keep()) {
                going.add(oldest.next());
                oldest.remove();
            }
        }
        going.forEach(k -> k.goes().run());
    }

    synchronized Optional<Kept> find(String namespace, String activationId) {
        return Optional.ofNullable(kept.get(activationId)).filter(k -> k.namespace().equals(namespace));
    }

    synchronized int size() {
        return kept.size();
    }

    /** Lets go of the one kept longest, if any. */
    void letGoOldest() {
        Kept going;
        synchronized (this) {
            var oldest = kept.values().iterator();
            if (!oldest.hasNext()) {
                return;
            }
            going = oldest.next();
            oldest.remove();
        }
        going.goes().run();
    }

    /** Lets go of those kept for the whole window at {@code nowMs}. */
    void sweep(long nowMs) {
        List<Kept> going = new ArrayList<>();
        synchronized (this) {
            kept.values().removeIf(k -> nowMs - k.sinceMs() >= settings.window().toMillis() && going.add(k));
        }
        going.forEach(k -> k.goes().run());
    }

    void close() {
        List<Kept> going;
        synchronized (this) {
            going = new ArrayList<>(kept.values());
            kept.clear();
        }
        going.forEach(k -> k.goes().run());
    }
}
