package dev.cove.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What a node keeps of its failed activations for a person to debug: the instance each ran on, out of
 * service and paused, with its sandbox as the failure left it.
 *
 * @param window how long each is kept from its failure ({@code cove up --debug-window}); zero keeps none
 * @param keep the most kept at once, the oldest going first past it ({@code cove up --debug-keep})
 * @param applicationErrors whether an application error is kept too, beside developer errors and
 *     timeouts ({@code cove up --debug-on application-error})
 */
public record Debugging(Duration window, int keep, boolean applicationErrors) {
    public static final Debugging DEFAULT = new Debugging(Duration.ofMinutes(5), 3, false);
    public static final int MAX_KEEP = 100;

    public Debugging {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the debug window must be between 0 and a day, was " + window.toMillis()
                    + " ms");
        }
        if (keep < 0 || keep > MAX_KEEP) {
            throw new IllegalArgumentException("at most 0 to " + MAX_KEEP + " sandboxes may be kept for debugging, was "
                    + keep);
        }
    }

    /** Whether an activation that ended so has its instance kept. */
    public boolean keeps(ActivationStatus status) {
        if (window.isZero() || keep == 0) {
            return false;
        }
        return status == ActivationStatus.DEVELOPER_ERROR || status == ActivationStatus.TIMEOUT
                || applicationErrors && status == ActivationStatus.APPLICATION_ERROR;
    }
}
