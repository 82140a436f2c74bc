package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * A trigger's schedule on the command line: one of {@code --cron}, {@code --once} and {@code --interval},
 * and what bounds it. It crosses the REST API as the trigger's {@code schedule} object (docs/rest-api.md).
 */
final class ScheduleOptions {
    private static final List<String> KINDS = List.of("cron", "once", "interval");

    /** When it fires: one of the three. */
    static final class When {
        @Option(names = "--cron", paramLabel = "EXPR",
                description = "Fire on a cron expression: 5 fields (minute hour day month weekday), or 6 with"
                        + " seconds first, read in --timezone.")
        Optional<String> cron = Optional.empty();

        @Option(names = "--once", paramLabel = "TIME", converter = Times.class,
                description = "Fire once, at this ISO-8601 time with its offset (2026-12-24T18:00:00Z).")
        Optional<Instant> once = Optional.empty();

        @Option(names = "--interval", paramLabel = "DURATION", converter = Durations.class,
                description = "Fire every DURATION (30s, 10m, 1h; at least 1s): from --start, else one DURATION"
                        + " after the trigger is stored.")
        Optional<Duration> interval = Optional.empty();
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    When when;

    @Option(names = "--timezone", paramLabel = "ZONE", converter = Times.Zones.class,
            description = "The time zone a cron expression is read in: Europe/Paris, UTC, +01:00 (default: UTC).")
    Optional<ZoneId> timezone = Optional.empty();

    @Option(names = "--start", paramLabel = "TIME", converter = Times.class,
            description = "No fire before this ISO-8601 time (default: none).")
    Optional<Instant> start = Optional.empty();

    @Option(names = "--stop", paramLabel = "TIME", converter = Times.class,
            description = "No fire after this ISO-8601 time (default: none).")
    Optional<Instant> stop = Optional.empty();

    @Option(names = "--delete-after-fire",
            description = "With --once: delete the trigger and its rules once it has fired.")
    boolean deleteAfterFire;

    @Option(names = "--missed", paramLabel = "once|skip",
            description = "What the server does at its start with the fires it missed while it was down: once"
                    + " fires one of them, skip none (default: once).")
    Optional<String> missed = Optional.empty();

    @Option(names = "--payload", paramLabel = "JSON",
            description = "What each scheduled fire passes to the trigger, a JSON object (default: {}).")
    Optional<String> payload = Optional.empty();

    /** Whether any of these options is given. */
    boolean given() {
        return when != null || timezone.isPresent() || start.isPresent() || stop.isPresent() || deleteAfterFire
                || missed.isPresent() || payload.isPresent();
    }

    /**
     * The schedule these options give, over {@code base} (the trigger's schedule as the server shows it,
     * or an empty object): a new {@code --cron}, {@code --once} or {@code --interval} replaces the kind
     * {@code base} had. A schedule with no kind, or options that don't fit, are usage errors made by
     * {@code usage}.
     */
    ObjectNode schedule(JsonNode base, Function<String, RuntimeException> usage) {
        ObjectNode schedule = base.isObject() ? ((ObjectNode) base).deepCopy() : Json.MAPPER.createObjectNode();
        if (when != null) {
            schedule.remove(KINDS);
            schedule.put("deleteAfterFire", false);
            when.cron.ifPresent(cron -> schedule.put("cron", cron));
            when.once.ifPresent(once -> schedule.put("once", once.toString()));
            when.interval.ifPresent(interval -> schedule.put("interval", interval.toString()));
        }
        if (KINDS.stream().noneMatch(schedule::has)) {
            throw usage.apply("a schedule needs --cron, --once or --interval");
        }
        if (deleteAfterFire && !schedule.has("once")) {
            throw usage.apply("--delete-after-fire goes with --once: only a trigger that fires once deletes itself");
        }
        timezone.ifPresent(zone -> schedule.put("timezone", zone.getId()));
        start.ifPresent(time -> schedule.put("start", time.toString()));
        stop.ifPresent(time -> schedule.put("stop", time.toString()));
        if (deleteAfterFire) {
            schedule.put("deleteAfterFire", true);
        }
        missed.ifPresent(value -> schedule.put("missed", missed(value, usage)));
        payload.ifPresent(json -> schedule.set("payload", payload(json, usage)));
        return schedule;
    }

    private static String missed(String value, Function<String, RuntimeException> usage) {
        String word = value.strip().toLowerCase(Locale.ROOT);
        if (!word.equals("once") && !word.equals("skip")) {
            throw usage.apply("--missed is once or skip, was '" + value + "'");
        }
        return word;
    }

    private static ObjectNode payload(String json, Function<String, RuntimeException> usage) {
        JsonNode node = Json.parse(json).orElseThrow(() -> usage.apply("--payload is no valid JSON"));
        if (!node.isObject()) {
            throw usage.apply("--payload must be a JSON object like {\"name\": \"Ada\"}");
        }
        return (ObjectNode) node;
    }
}
