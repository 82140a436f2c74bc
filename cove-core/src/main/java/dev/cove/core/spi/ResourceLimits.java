package dev.cove.core.spi;

/**
 * What one worker (and everything it starts) may use, or a sandbox's keeper.
 *
 * @param memoryBytes memory of all its processes together, page cache and its /tmp included
 * @param pids processes and threads at once (a fork bomb stops there)
 * @param cpuWeight its share of the CPU under contention, 1 to 10000 (cgroup v2's cpu.weight; 100 is
 *     an ordinary process's share)
 * @param cpus the most CPU time it may use, in CPUs (0.5 is half of one CPU's time), whatever is idle:
 *     without a cap, a fork bomb's hundred processes take every core from the functions beside it
 */
public record ResourceLimits(long memoryBytes, int pids, int cpuWeight, double cpus) {

    /**
     * A stem cell's share until it is given a function: room to start any runtime, and a tenth of a
     * function's CPU weight, since it is mostly started ahead of need and must not take CPU from the
     * functions serving calls. Not the least weight: a cell an activation waits for (none was ready)
     * starts at this weight too, and at the least it could wait out its activation's time limit on a
     * machine busy with fork bombs.
     */
    public static final ResourceLimits STEM_CELL = new ResourceLimits(256L * 1024 * 1024, 128, 10, 1.0);

    /**
     * A sandbox's keeper and bwrap's own process: a Python process of a few MB that starts the
     * workers (each briefly, until it is placed in its own groups) and relays their output, at an
     * ordinary process's CPU share.
     */
    public static final ResourceLimits KEEPER = new ResourceLimits(64L * 1024 * 1024, 32, 100, 1.0);

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
        if (!(cpus >= 0.1)) {
            throw new IllegalArgumentException("cpus must be at least 0.1, was " + cpus);
        }
    }

    /**
     * A function's limits: its memory, a pids cap roomy for a runtime's own threads, and CPU in
     * proportion to memory (as memory buys CPU on hosted platforms): a share of 100 and one CPU's time
     * for 256 MB, at most all of this machine's CPUs.
     */
    public static ResourceLimits forFunction(int memoryMb) {
        double cpus = Math.min(Runtime.getRuntime().availableProcessors(), memoryMb / 256.0);
        return new ResourceLimits(memoryMb * 1024L * 1024L, 128, Math.max(1, Math.min(10_000, memoryMb * 100 / 256)),
                cpus);
    }
}
