package dev.cove.core.model;

/**
 * A function's instances now.
 *
 * @param starting being started
 * @param busy running at least one activation
 * @param idle started and running none
 * @param paused idle so long that their processes are frozen until their next activation
 * @param waiting activations waiting for an instance
 */
public record InstanceCounts(int starting, int busy, int idle, int paused, int waiting) {
    public static final InstanceCounts NONE = new InstanceCounts(0, 0, 0, 0, 0);

    public int total() {
        return starting + busy + idle + paused;
    }
}
