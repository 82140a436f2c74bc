package dev.cove.core.runtime;

import dev.cove.core.model.FunctionRevision;
import dev.cove.core.spi.RunListener;

/**
 * An activation under way in a worker: a run of its function, or a fused call to another function
 * ({@code revision}), whose own calls and cache are that function's.
 */
final class WorkerRun {
    final RunListener listener;
    final FunctionRevision revision;
    /** The number of its last fused call; read and written on the socket's event loop only. */
    long lastFused;

    WorkerRun(RunListener listener, FunctionRevision revision) {
        this.listener = listener;
        this.revision = revision;
    }

    RunListener listener() {
        return listener;
    }
}
