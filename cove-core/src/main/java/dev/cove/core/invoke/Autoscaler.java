package dev.cove.core.invoke;

import java.time.Duration;

/**
 * How many instances a function needs, from the concurrency measured over a stable window and a
 * short panic window, as Knative's autoscaler decides it: the stable window's average concurrency
 * over the target per instance, unless the panic window's average reaches twice that, when the panic
 * window's decides, so that a sudden burst gets instances before its requests queue. It only adds
 * instances while there is work: a function with none under way or waiting wants its minInstances, and
 * its idle instances stop at their idle timeout (so it scales to zero then, not a minute later, as
 * Knative's does). A pure decision over the samples of a {@link Window}, tested with tables; the
 * dispatcher's sweep applies it.
 */
final class Autoscaler {
    static final Duration STABLE = Duration.ofSeconds(60);
    static final Duration PANIC = Duration.ofSeconds(6);
    /** The panic window decides once its demand is this many times the instances the stable one wants. */
    static final double PANIC_THRESHOLD = 2.0;

    private Autoscaler() {}

    /**
     * The instances wanted now, between {@code min} and {@code max}.
     *
     * @param stableAverage activations under way or waiting, averaged over the stable window
     * @param panicAverage the same over the panic window
     * @param now the same now
     * @param target activations one instance is to run at once
     */
    static int desired(double stableAverage, double panicAverage, int now, int target, int min, int max) {
        if (now == 0) {
            return min;
        }
        double stable = Math.ceil(stableAverage / target);
        double panic = Math.ceil(panicAverage / target);
        double wanted = panicAverage >= PANIC_THRESHOLD * Math.max(stable, 1) * target ? Math.max(stable, panic) : stable;
        return (int) Math.max(min, Math.min(max, wanted));
    }

    /**
     * The samples of one function's concurrency, one a second, as many as the stable window holds: a
     * ring, so that sampling takes no memory after its start.
     */
    static final class Window {
        private final int[] samples = new int[(int) STABLE.toSeconds()];
        private int next;
        private int count;

        void add(int concurrency) {
            samples[next] = concurrency;
            next = (next + 1) % samples.length;
            count = Math.min(count + 1, samples.length);
        }

        /** The average of the last {@code seconds} samples (fewer when fewer were taken); 0 before any. */
        double average(int seconds) {
            int n = Math.min(seconds, count);
            if (n == 0) {
                return 0;
            }
            long sum = 0;
            for (int i = 1; i <= n; i++) {
                sum += samples[Math.floorMod(next - i, samples.length)];
            }
            return (double) sum / n;
        }
    }
}
