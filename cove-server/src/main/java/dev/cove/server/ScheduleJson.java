package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Schedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trigger's schedule in Cove's JSON (its extension to OpenWhisk's trigger, docs/rest-api.md), and the
 * readings of times, zones and payloads that the alarms feed shares with it:
 *
 * <pre>{@code
 * {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris", "start": "2026-12-01T00:00:00Z", "stop": …,
 *  "missed": "once", "payload": {…}}      or {"once": TIME, "deleteAfterFire": true}   or {"interval": "PT10M"}
 * }</pre>
 *
 * A value that does not read is an {@link IllegalArgumentException} whose message names its field and
 * the value, for the caller; the endpoints answer it with 400.
 */
final class ScheduleJson {
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{1,18}");
    /** A cron expression is read in it unless the schedule names another zone. */
    static final ZoneId UTC = ZoneId.of("UTC");

    private ScheduleJson() {}

    /** The schedule a trigger's PUT gives: none for {@code null}. */
    static Optional<Schedule> read(JsonNode node, Instant now) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(Messages.SCHEDULE_NOT_AN_OBJECT);
        }
        Schedule schedule = new Schedule(
                field(node, "cron").map(value -> text("schedule.cron", value)),
                field(node, "once").map(value -> time("schedule.once", value)),
                field(node, "interval").map(ScheduleJson::interval),
                field(node, "timezone").map(value -> zone("schedule.timezone", value)).orElse(UTC),
                field(node, "start").map(value -> time("schedule.start", value)),
                field(node, "stop").map(value -> time("schedule.stop", value)),
                field(node, "deleteAfterFire").map(value -> flag("schedule.deleteAfterFire", value)).orElse(false),
                field(node, "missed").map(value -> missed("schedule.missed", value)).orElse(Schedule.Missed.ONCE),
                field(node, "payload").map(value -> object("schedule.payload", value)).orElse(null));
        return Optional.of(requireAhead(schedule, "schedule.once", "schedule.stop", now));
    }

    static ObjectNode render(Schedule schedule) {
        ObjectNode node = Exchange.JSON.createObjectNode();
        schedule.cron().ifPresent(cron -> node.put("cron", cron));
        schedule.once().ifPresent(once -> node.put("once", once.toString()));
        schedule.interval().ifPresent(interval -> node.put("interval", interval.toString()));
        node.put("timezone", schedule.zone().getId());
        schedule.start().ifPresent(start -> node.put("start", start.toString()));
        schedule.stop().ifPresent(stop -> node.put("stop", stop.toString()));
        node.put("deleteAfterFire", schedule.deleteAfterFire());
        node.put("missed", schedule.missed().name().toLowerCase(Locale.ROOT));
        node.set("payload", schedule.payload());
        return node;
    }

    /**
     * A schedule whose one time or whose stop has passed would never fire: refused, rather than stored
     * silent. {@code onceField} and {@code stopField} name them as the caller gave them.
     */
    static Schedule requireAhead(Schedule schedule, String onceField, String stopField, Instant now) {
        schedule.once().filter(once -> !once.isAfter(now)).ifPresent(once -> {
            throw new IllegalArgumentException(Messages.notInTheFuture(onceField, once));
        });
        schedule.stop().filter(stop -> !stop.isAfter(now)).ifPresent(stop -> {
            throw new IllegalArgumentException(Messages.notInTheFuture(stopField, stop));
        });
        return schedule;
    }

    /** The field's value, absent when it is missing or null. */
    static Optional<JsonNode> field(JsonNode object, String name) {
        JsonNode value = object.path(name);
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    static String text(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException(Messages.notText(field, value.toString()));
        }
        return value.asText();
    }

    /** An ISO-8601 time with its offset ({@code Z} or {@code +01:00}), or milliseconds since the epoch. */
    static Instant time(String field, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
            return Instant.ofEpochMilli(value.asLong());
        }
        String text = value.isTextual() ? value.asText().strip() : value.toString();
        try {
            if (value.isTextual() && EPOCH_MILLIS.matcher(text).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            if (value.isTextual()) {
                return OffsetDateTime.parse(text).toInstant();
            }
        } catch (DateTimeParseException e) {
            // refused below, in the API's words
        }
        throw new IllegalArgumentException(Messages.badTime(field, text));
    }

    static ZoneId zone(String field, JsonNode value) {
        String text = text(field, value);
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(Messages.badZone(field, text));
        }
    }

    static boolean flag(String field, JsonNode value) {
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(Messages.notAFlag(field, value.toString()));
        }
        return value.asBoolean();
    }

    static Schedule.Missed missed(String field, JsonNode value) {
        String text = text(field, value);
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "once" -> Schedule.Missed.ONCE;
            case "skip" -> Schedule.Missed.SKIP;
            default -> throw new IllegalArgumentException(Messages.badMissed(field, text));
        };
    }

    static ObjectNode object(String field, JsonNode value) {
        if (!value.isObject()) {
            throw new IllegalArgumentException(Messages.notAnObject(field, value.toString()));
        }
        return (ObjectNode) value;
    }

    private static Duration interval(JsonNode value) {
        String text = text("schedule.interval", value);
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(Messages.badInterval("schedule.interval", text));
        }
    }
}
