package dev.cove.core.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** A timer and clock on virtual time: actions run when a test advances past their due time. */
final class FakeTimer implements Timer {
    private record Entry(Instant due, long order, Runnable action, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.due().equals(b.due())
            ? Long.compare(a.order(), b.order()) : a.due().compareTo(b.due()));
    private final List<Duration> delays = new ArrayList<>();
    private Instant now;
    private long order;

    FakeTimer(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        boolean[] cancelled = {false};
        delays.add(delay);
        queue.add(new Entry(now.plus(delay), order++, action, cancelled));
        return () -> {
            synchronized (this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward, running every action that falls due on the way, at its due time. */
    void advance(Duration by) {
        Instant target;
        synchronized (this) {
            target = now.plus(by);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due().isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due();
                if (next.cancelled()[0]) {
                    continue;
                }
            }
            next.action().run();
        }
    }

    void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    synchronized Instant now() {
        return now;
    }

    /** Every delay asked for, cancelled or not, in order. */
    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    /** Actions scheduled and neither run nor cancelled. */
    synchronized long armed() {
        return queue.stream().filter(entry -> !entry.cancelled()[0]).count();
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException("the fake clock stays in UTC");
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }
}
