package dev.cove.core.cache;

import dev.cove.core.spi.CacheScope;
import java.util.Optional;

/**
 * Whoever keeps copies of entries it read, to answer gets without asking again (a worker: see
 * docs/worker-protocol.md, "uncache"): told of every change to entries of the scopes it reads.
 */
@FunctionalInterface
public interface CacheCopies {

    /**
     * Entries of {@code scope} changed (written, replaced, deleted, evicted; not expired, which a copy
     * knows by itself): the one under {@code key}, or every one when it is empty.
     */
    void changed(CacheScope scope, Optional<String> key);
}
