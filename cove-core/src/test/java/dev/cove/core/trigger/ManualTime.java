package dev.cove.core.trigger;

import dev.cove.core.spi.Deadlines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and a timer that move only when a test says: {@link #advance} runs, in time order, each
 * armed action that comes due, with the clock set to its due time.
 */
final class ManualTime extends Clock implements Deadlines {
    private record Task(Instant at, Runnable action, long order) {}

    private final List<Task> tasks = new ArrayList<>();
    private Instant now;
    private long armed;

    ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("one zone is enough here");
    }

    @Override
    public synchronized Armed arm(Duration delay, Runnable action) {
        Task task = new Task(now.plus(delay), action, armed++);
        tasks.add(task);
        return () -> {
            synchronized (this) {
                tasks.remove(task);
            }
        };
    }

    /** How many actions are armed and not yet run or cancelled. */
    synchronized int pending() {
        return tasks.size();
    }

    /** Moves the clock on by {@code by}, running what comes due on the way. */
    void advance(Duration by) {
        Instant until;
        synchronized (this) {
            until = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.at.isAfter(until))
                        .min(Comparator.comparing(Task::at).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                tasks.remove(next);
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.action.run();
        }
    }

    @Override
    public void close() {}
}
