package dev.cove.core.cache;

import java.util.Optional;

/** Whom a backend tells of changes to its entries ({@link Cache#watch}): the gateway, which tells the keepers of copies. */
public interface CacheWatcher {
    /** Hears nothing: the watcher of a backend not watched yet. */
    CacheWatcher NOBODY = new CacheWatcher() {
        @Override
        public void changed(Scope scope, Optional<String> key) {}

        @Override
        public void allChanged() {}
    };

    /** As {@link CacheCopies#changed}: the entry under {@code key} changed, or every one of the scope when it is empty. */
    void changed(Scope scope, Optional<String> key);

    /** Any entry of any scope may have changed (a flushed Redis, or changes that went untold): no copy may be trusted. */
    void allChanged();
}
