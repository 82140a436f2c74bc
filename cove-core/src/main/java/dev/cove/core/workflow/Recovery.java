package dev.cove.core.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A state's Retry and Catch lists, and which of them an error meets. */
record Recovery(List<Recovery.Retrier> retriers, List<Recovery.Catcher> catchers) {
    static final Recovery NONE = new Recovery(List.of(), List.of());
    // A Retry's delay never grows past this, whatever its BackoffRate says, so the arithmetic stays finite.
    private static final double LONGEST_DELAY_SECONDS = 366 * 24 * 3600;

    Recovery {
        retriers = List.copyOf(retriers);
        catchers = List.copyOf(catchers);
    }

    record Retrier(List<String> errors, Duration interval, int maxAttempts, double backoffRate,
            Optional<Duration> maxDelay) {
        Retrier {
            errors = List.copyOf(errors);
        }

        /** How long to wait before retry number {@code attempt} (1 for the first). */
        Duration delay(int attempt) {
            double seconds = interval.toMillis() / 1000.0 * Math.pow(backoffRate, attempt - 1);
            double cap = maxDelay.map(d -> d.toMillis() / 1000.0).orElse(LONGEST_DELAY_SECONDS);
            return Duration.ofMillis(Math.round(Math.min(Math.min(seconds, cap), LONGEST_DELAY_SECONDS) * 1000));
        }
    }

    record Catcher(List<String> errors, String next, Optional<Path> resultPath) {
        Catcher {
            errors = List.copyOf(errors);
        }
    }

    /**
     * The index of the first retrier whose ErrorEquals names this error. States.Runtime is never retried:
     * the same input meets the same error again.
     */
    OptionalInt retrierFor(Failure failure) {
        if (failure.error().equals(Optional.of(Failure.RUNTIME))) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < retriers.size(); i++) {
            if (matches(retriers.get(i).errors(), failure)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    Optional<Catcher> catcherFor(Failure failure) {
        return catchers.stream().filter(catcher -> matches(catcher.errors(), failure)).findFirst();
    }

    /**
     * States.ALL names every error; States.TaskFailed every error but States.Timeout and States.Runtime
     * (neither is a failure of the task itself); any other name only itself.
     */
    static boolean matches(List<String> errorEquals, Failure failure) {
        if (errorEquals.contains(Failure.ALL)) {
            return true;
        }
        return failure.error().map(error -> errorEquals.contains(error)
                || errorEquals.contains(Failure.TASK_FAILED) && !error.equals(Failure.TIMEOUT)
                        && !error.equals(Failure.RUNTIME))
                .orElse(false);
    }
}
