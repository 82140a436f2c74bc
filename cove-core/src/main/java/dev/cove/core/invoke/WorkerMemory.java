package dev.cove.core.invoke;

/**
 * The node's budget for its function instances' memory, counted by what each function may use (its
 * memory limit, which its sandbox's cgroup enforces), as OpenWhisk's container pool counts it: an
 * instance starts only with its memory reserved, and gives it back when it stops.
 */
final class WorkerMemory {
    private final long budgetMb;
    private long reservedMb;

    WorkerMemory(long budgetMb) {
        this.budgetMb = budgetMb;
    }

    /** Reserves {@code mb} for an instance about to start; false, reserving nothing, when it would pass the budget. */
    synchronized boolean tryReserve(int mb) {
        if (reservedMb + mb > budgetMb) {
            return false;
        }
        reservedMb += mb;
        return true;
    }

    synchronized void release(int mb) {
        reservedMb -= mb;
    }

    long budgetMb() {
        return budgetMb;
    }

    synchronized long reservedMb() {
        return reservedMb;
    }
}
