package dev.cove.core.runtime;

import dev.cove.core.model.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Java's stem cells: a pool per memory limit, since a JVM sizes its heap when it starts. A heap that may
 * grow past its sandbox's limit grows instead of collecting its garbage (measured: a function that keeps
 * 16 MB and allocates 2 GB reached 2 GB of memory with the heap's maximum at 4 GB, and 130 MB with it at
 * 96 MB), and the kernel kills the worker; so each worker's heap is sized from its function's limit
 * ({@link #heapMb}), and running out of it is that limit (the worker says so and exits). The default
 * limit's pool is filled at start; any other limit's at its first use, after which it keeps its cells
 * ready like the others.
 */
final class JavaStemCells implements AutoCloseable {
    /** What a JVM takes besides its heap (code, metaspace, threads, the collector's tables), at most. */
    private static final int NON_HEAP_MB = 64;

    private final ProcessRuntime base;
    private final Function<ProcessRuntime, StemCells> newPool;
    private final Map<Integer, StemCells> pools = new ConcurrentHashMap<>();
    private volatile List<String> archiveFlags = List.of();
    private volatile boolean closed;

    /**
     * @param base the worker's runtime without a heap size
     * @param newPool a pool of stem cells started as the runtime given says
     */
    JavaStemCells(ProcessRuntime base, Function<ProcessRuntime, StemCells> newPool) {
        this.base = base;
        this.newPool = newPool;
    }

    /** The heap of a worker for a function with this memory limit: what its JVM's other needs leave. */
    static int heapMb(int memoryMb) {
        return Math.min(memoryMb - NON_HEAP_MB, memoryMb * 7 / 8);
    }

    /** The pool for functions of this memory limit, started (and filling) from the first call on. */
    StemCells forMemory(int memoryMb) {
        return pools.computeIfAbsent(memoryMb, m -> {
            StemCells cells = newPool.apply(runtimeFor(m));
            if (!closed) {
                cells.prime();
            }
            return cells;
        });
    }

    /** The default limit's pool, which serves most functions: filled from the start. */
    StemCells standard() {
        return forMemory(Limits.DEFAULT.memoryMb());
    }

    /** Every pool's cells start from the class-data archive from now on, with these flags. */
    void useArchive(List<String> flags) {
        archiveFlags = List.copyOf(flags);
        pools.forEach((memoryMb, cells) -> cells.use(runtimeFor(memoryMb)));
    }

    /** The runtime the stem cells of one memory limit start with: its heap, and the archive once there is one. */
    ProcessRuntime runtimeFor(int memoryMb) {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heapMb(memoryMb) + "m"));
        flags.addAll(archiveFlags);
        return base.withJvmFlags(flags);
    }

    /** Stem cells waiting, in every pool. */
    int idleCount() {
        return pools.values().stream().mapToInt(StemCells::idleCount).sum();
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(StemCells::close);
    }
}
