package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a trigger fires by itself (OpenWhisk's alarms feed): on a cron expression, once at a time, or
 * every interval. Exactly one of the three is given.
 *
 * @param cron five fields (minute to day of week) or six (seconds first), read in {@code zone}
 * @param once the one time it fires
 * @param interval how often it fires, at least a second: at {@code start} and every interval after it, or
 *     without a start, an interval after the trigger was created or last changed and every interval after
 * @param zone the time zone a cron expression is read in
 * @param start no fire before it
 * @param stop no fire after it
 * @param deleteAfterFire a {@code once} trigger deletes itself, and its rules, once it has fired
 * @param missed what a start does with fires that came due while the server was down
 * @param payload what each fire passes to the trigger (OpenWhisk's {@code trigger_payload})
 */
public record Schedule(Optional<String> cron, Optional<Instant> once, Optional<Duration> interval, ZoneId zone,
        Optional<Instant> start, Optional<Instant> stop, boolean deleteAfterFire, Missed missed, ObjectNode payload) {

    /** The shortest interval. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** What a start does with the fires that came due while the server was down. */
    public enum Missed {
        /** Fires once for all of them, at the start. */
        ONCE,
        /** Fires none of them; the next fire is the next one due. */
        SKIP
    }

    public Schedule {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(missed, "missed");
        int given = (cron.isPresent() ? 1 : 0) + (once.isPresent() ? 1 : 0) + (interval.isPresent() ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException(Messages.scheduleKinds(given));
        }
        interval.filter(i -> i.compareTo(MIN_INTERVAL) < 0).ifPresent(i -> {
            throw new IllegalArgumentException(Messages.intervalTooShort(i));
        });
        if (start.isPresent() && stop.isPresent() && !stop.get().isAfter(start.get())) {
            throw new IllegalArgumentException(Messages.stopBeforeStart(start.get(), stop.get()));
        }
        if (deleteAfterFire && once.isEmpty()) {
            throw new IllegalArgumentException(Messages.DELETE_AFTER_FIRE_ONCE_ONLY);
        }
        payload = payload == null ? JsonNodeFactory.instance.objectNode() : payload.deepCopy();
    }

    /** A cron schedule in UTC, with no bounds, firing the missed once, with an empty payload. */
    public static Schedule cron(String expression) {
        return new Schedule(Optional.of(expression), Optional.empty(), Optional.empty(), ZoneId.of("UTC"),
                Optional.empty(), Optional.empty(), false, Missed.ONCE, null);
    }

    @Override
    public ObjectNode payload() {
        return payload.deepCopy();
    }
}
