package dev.cove.core.trigger;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.cove.core.model.Messages;
import dev.cove.core.model.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When a schedule is due: pure functions of the schedule, its anchor (when its trigger was stored, from
 * which an interval without a start counts) and a time, tested with tables. A schedule is never due
 * before its start or after its stop.
 */
final class Due {
    private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Seconds first, then as five fields (Spring's reading: 0-7 for the day of the week, 0 and 7 Sunday). */
    private static final CronParser SIX_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final Schedule schedule;
    private final Instant anchor;
    private final Optional<ExecutionTime> cron;

    private Due(Schedule schedule, Instant anchor, Optional<ExecutionTime> cron) {
        this.schedule = schedule;
        this.anchor = anchor;
        this.cron = cron;
    }

    /**
     * The schedule's times.
     *
     * @throws IllegalArgumentException when its cron expression does not parse, with the reason
     */
    static Due of(Schedule schedule, Instant anchor) {
        return new Due(schedule, anchor, schedule.cron().map(Due::parse));
    }

    /** Checks a cron expression: 5 fields, or 6 with seconds first. */
    static ExecutionTime parse(String expression) {
        String trimmed = expression.strip();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException(Messages.badCron(expression,
                    "it has " + fields + (fields == 1 ? " field" : " fields")
                            + ", where 5 (minute hour day month weekday) or 6 (seconds first) are read."));
        }
        try {
            return ExecutionTime.forCron((fields == 5 ? FIVE_FIELDS : SIX_FIELDS).parse(trimmed).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.badCron(expression, e.getMessage()), e);
        }
    }

    /** The first time strictly after {@code after} that the schedule is due, if it ever is again. */
    Optional<Instant> after(Instant after) {
        Instant from = schedule.start().filter(start -> start.isAfter(after)).map(start -> start.minusNanos(1))
                .orElse(after);
        Optional<Instant> next = cron.isPresent() ? cronAfter(from)
                : schedule.once().isPresent() ? schedule.once().filter(once -> once.isAfter(from))
                : intervalAfter(from);
        return next.filter(this::beforeStop);
    }

    /**
     * The last time at or before {@code atOrBefore} and strictly after {@code after} that the schedule
     * was due: a fire missed between the two, if there was one.
     */
    Optional<Instant> lastBetween(Instant after, Instant atOrBefore) {
        Instant until = schedule.stop().filter(stop -> stop.isBefore(atOrBefore)).orElse(atOrBefore);
        Optional<Instant> last = cron.isPresent() ? cronAtOrBefore(until)
                : schedule.once().isPresent() ? schedule.once().filter(once -> !once.isAfter(until))
                : intervalAtOrBefore(until);
        return last.filter(time -> time.isAfter(after) && schedule.start().map(s -> !time.isBefore(s)).orElse(true));
    }

    private boolean beforeStop(Instant time) {
        return schedule.stop().map(stop -> !time.isAfter(stop)).orElse(true);
    }

    /** cron-utils keeps the fraction of a second it is given: a cron's times are whole seconds. */
    private Optional<Instant> cronAfter(Instant from) {
        Instant second = from.truncatedTo(ChronoUnit.SECONDS);
        return cron.orElseThrow().nextExecution(ZonedDateTime.ofInstant(second, schedule.zone()))
                .map(ZonedDateTime::toInstant);
    }

    private Optional<Instant> cronAtOrBefore(Instant until) {
        // lastExecution answers strictly before its argument
        Instant second = until.truncatedTo(ChronoUnit.SECONDS);
        return cron.orElseThrow().lastExecution(ZonedDateTime.ofInstant(second.plusSeconds(1), schedule.zone()))
                .map(ZonedDateTime::toInstant).filter(last -> !last.isAfter(second));
    }

    /** An interval fires at its start and every interval after it; without a start, an interval after its anchor. */
    private Instant origin() {
        return schedule.start().orElseGet(() -> anchor.plus(schedule.interval().orElseThrow()));
    }

    private Optional<Instant> intervalAfter(Instant from) {
        Instant origin = origin();
        if (from.isBefore(origin)) {
            return Optional.of(origin);
        }
        Duration every = schedule.interval().orElseThrow();
        return Optional.of(origin.plus(every.multipliedBy(Duration.between(origin, from).dividedBy(every) + 1)));
    }

    private Optional<Instant> intervalAtOrBefore(Instant until) {
        Instant origin = origin();
        if (until.isBefore(origin)) {
            return Optional.empty();
        }
        Duration every = schedule.interval().orElseThrow();
        return Optional.of(origin.plus(every.multipliedBy(Duration.between(origin, until).dividedBy(every))));
    }
}
