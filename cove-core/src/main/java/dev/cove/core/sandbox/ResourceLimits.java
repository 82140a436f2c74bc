package dev.cove.core.sandbox;

/**
 * What one sandbox may use.
 *
 * @param memoryBytes memory of all its processes together, page cache and its /tmp included
 * @param pids processes and threads at once (a fork bomb stops there)
 * @param cpuWeight its share of the CPU under contention, 1 to 10000 (cgroup v2's cpu.weight; 100 is
 *     an ordinary process's share)
 */
public record ResourceLimits(long memoryBytes, int pids, int cpuWeight) {

    public ResourceLimits {
        if (memoryBytes < 16L * 1024 * 1024) {
            throw new IllegalArgumentException("memoryBytes must be at least 16 MB, was " + memoryBytes);
        }
        if (pids < 8) {
            throw new IllegalArgumentException("pids must be at least 8, was " + pids);
        }
        if (cpuWeight < 1 || cpuWeight > 10_000) {
            throw new IllegalArgumentException("cpuWeight must be between 1 and 10000, was " + cpuWeight);
        }
    }

    /**
     * A function's limits: its memory, a pids cap roomy for a runtime's own threads, and a CPU share
     * proportional to memory (as memory buys CPU on hosted platforms), 100 for 256 MB.
     */
    public static ResourceLimits forFunction(int memoryMb) {
        return new ResourceLimits(memoryMb * 1024L * 1024L, 128, Math.max(1, Math.min(10_000, memoryMb * 100 / 256)));
    }
}
