package dev.cove.core.spi;

/**
 * Hears of changes to a {@link CacheBackend}'s entries: the gateway, which tells whoever keeps copies
 * of them. Calls come on the writer's thread or on a backend's own listening thread; they must be
 * quick.
 */
public interface CacheWatcher {
    /** Hears nothing: the watcher of a backend not watched yet. */
    CacheWatcher NOBODY = new CacheWatcher() {
        @Override
        public void changed(CacheScope scope, String key) {}

        @Override
        public void cleared(CacheScope scope) {}

        @Override
        public void allChanged() {}
    };

    /** The entry under {@code key} changed: written, replaced, deleted or evicted (not expired, which a copy knows by itself). */
    void changed(CacheScope scope, String key);

    /** Every entry of the scope may have changed (the scope was cleared). */
    void cleared(CacheScope scope);

    /** Any entry of any scope may have changed (a flushed Redis, or changes that went untold): no copy may be trusted. */
    void allChanged();
}
