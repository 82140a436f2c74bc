package dev.cove.core.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What instances that live in the platform's own process (a Java function run inline, a sequence)
 * share: they die only when killed, once, and then tell whoever asked to hear of it. Implementations
 * release what they hold in {@link #onKill()}.
 */
public abstract class InProcessInstance implements Instance {
    private final List<Runnable> deathCallbacks = new CopyOnWriteArrayList<>();
    private volatile String killReason;

    /** Why it was killed, once it has been. */
    protected final Optional<String> killReason() {
        return Optional.ofNullable(killReason);
    }

    @Override
    public final void kill(String reason) {
        synchronized (this) {
            if (killReason != null) {
                return;
            }
            killReason = reason;
        }
        onKill();
        deathCallbacks.forEach(Runnable::run);
    }

    /** Releases what the instance holds; called once, by the first kill, before the death callbacks. */
    protected void onKill() {}

    @Override
    public final void onDeath(Runnable callback) {
        deathCallbacks.add(callback);
        if (killReason != null) {
            callback.run();
        }
    }

    @Override
    public final boolean alive() {
        return killReason == null;
    }
}
