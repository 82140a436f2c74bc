package dev.cove.core.trigger;

import dev.cove.core.model.Schedule;
import dev.cove.core.model.Trigger;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.TriggerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed schedules: one timer per scheduled trigger, for its next due time.
 *
 * <p>No double fire: each trigger has at most one armed alarm, and an alarm fires only while it is still
 * the one armed for its trigger (a change or a delete replaces or removes it first). Before a fire, the
 * due time is kept in the store, so that a restart fires again only what came due after it: a crash
 * between the two loses that one fire rather than doubling it. The timer's thread only hands the fire
 * to a virtual thread, and the next alarm is armed before the fire runs, so a slow store or function
 * makes no later fire late. A timer that goes off early by the clock (the wheel's tick, a clock set by
 * a test) is armed again for what remains.
 */
final class Alarms implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);

    private final TriggerStore store;
    private final Clock clock;
    private final Deadlines timer;
    private final BiConsumer<Trigger, Schedule> fire;
    private final Executor ringer;
    private final Map<String, Alarm> armed = new HashMap<>();
    private boolean closed;

    /** One armed due time of one version of a trigger. */
    private final class Alarm {
        final Trigger trigger;
        final Schedule schedule;
        final Due due;
        final Instant at;
        Deadlines.Armed handle;

        Alarm(Trigger trigger, Schedule schedule, Due due, Instant at) {
            this.trigger = trigger;
            this.schedule = schedule;
            this.due = due;
            this.at = at;
        }

        void set() {
            Duration wait = Duration.between(clock.instant(), at);
            handle = timer.arm(wait.isNegative() ? Duration.ZERO : wait,
                    () -> ringer.execute(this::ring));
        }

        private void ring() {
            synchronized (Alarms.this) {
                if (armed.get(key(trigger)) != this) {
                    return; // replaced or removed since it was set
                }
                if (clock.instant().isBefore(at)) {
                    set();
                    return;
                }
                armed.remove(key(trigger));
                store.putLastFire(trigger.namespace(), trigger.name(), at);
                if (!schedule.deleteAfterFire()) {
                    Instant now = clock.instant();
                    armNext(trigger, schedule, due, now.isAfter(at) ? now : at); // fires missed meanwhile: none
                }
            }
            fire.accept(trigger, schedule);
        }
    }

    /** @param ringer runs what an alarm does when it goes off, off the timer's thread */
    Alarms(TriggerStore store, Clock clock, Deadlines timer, Executor ringer, BiConsumer<Trigger, Schedule> fire) {
        this.store = store;
        this.clock = clock;
        this.timer = timer;
        this.ringer = ringer;
        this.fire = fire;
    }

    /** At a start: fires once what came due while the server was down (unless skipped), then arms. */
    synchronized void recover(Trigger trigger) {
        Schedule schedule = trigger.spec().schedule().orElseThrow();
        Due due;
        try {
            due = Due.of(schedule, trigger.updated());
        } catch (IllegalArgumentException e) {
            LOG.warn("trigger {}/{} has a schedule that no longer reads, and won't fire: {}", trigger.namespace(),
                    trigger.name(), e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Instant since = store.lastFire(trigger.namespace(), trigger.name()).filter(last -> last.isAfter(trigger.updated()))
                .orElse(trigger.updated());
        Optional<Instant> missed = due.lastBetween(since, now);
        if (missed.isPresent() && schedule.missed() == Schedule.Missed.ONCE) {
            LOG.info("trigger {}/{} was due at {} while the server was down: firing it once now",
                    trigger.namespace(), trigger.name(), missed.get());
            Alarm alarm = new Alarm(trigger, schedule, due, missed.get());
            armed.put(key(trigger), alarm);
            alarm.set();
            return;
        }
        armNext(trigger, schedule, due, now);
    }

    /** Arms the trigger's schedule, replacing what was armed for it; a trigger without one is disarmed. */
    synchronized void arm(Trigger trigger) {
        disarm(trigger.namespace(), trigger.name());
        trigger.spec().schedule().ifPresent(schedule ->
                armNext(trigger, schedule, Due.of(schedule, trigger.updated()), clock.instant()));
    }

    private void armNext(Trigger trigger, Schedule schedule, Due due, Instant after) {
        if (closed) {
            return;
        }
        due.after(after).ifPresent(at -> {
            Alarm alarm = new Alarm(trigger, schedule, due, at);
            armed.put(key(trigger), alarm);
            alarm.set();
        });
    }

    synchronized void disarm(String namespace, String name) {
        Alarm alarm = armed.remove(key(namespace, name));
        if (alarm != null) {
            alarm.handle.cancel();
        }
    }

    /** When the trigger fires next, if it is armed. */
    synchronized Optional<Instant> next(String namespace, String name) {
        return Optional.ofNullable(armed.get(key(namespace, name))).map(alarm -> alarm.at);
    }

    private static String key(Trigger trigger) {
        return key(trigger.namespace(), trigger.name());
    }

    private static String key(String namespace, String name) {
        return namespace + "\n" + name;
    }

    @Override
    public synchronized void close() {
        closed = true;
        armed.values().forEach(alarm -> alarm.handle.cancel());
        armed.clear();
    }
}
