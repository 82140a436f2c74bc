package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.Schedule;
import dev.cove.core.model.Trigger;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.cove.server.ScheduleJson.field;

/**
 * OpenWhisk's alarms feed, which its clients create by invoking {@code /whisk.system/alarms/alarm} (a
 * cron expression), {@code …/once} (one date) or {@code …/interval} (every so many minutes) with the
 * trigger's name and a {@code lifecycleEvent}: here no function runs, the schedule becomes the trigger's
 * own ({@link Schedule}), and the answer has the shape of the blocking invocation's activation those
 * clients read (without an id: nothing is recorded).
 *
 * <p>CREATE (and UPDATE, over what is there) sets the schedule of a trigger that exists, DELETE removes it,
 * READ shows it as the alarms package does ({@code {"config": …, "status": …}}). The request's key decides
 * whose triggers: its own namespace's only, whatever {@code authKey} says.
 */
final class AlarmFeed {
    /** The feeds, as their actions are named. */
    private enum Feed {
        ALARM("cron"), ONCE("date"), INTERVAL("minutes");

        /** The parameter a CREATE must give. */
        final String required;

        Feed(String required) {
            this.required = required;
        }

        static Feed named(String action) {
            return valueOf(action.toUpperCase(Locale.ROOT));
        }

        String action() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectNode SUCCESS = Exchange.JSON.createObjectNode().put("status", "success");

    private final Node platform;
    private final Clock clock;

    AlarmFeed(Node platform, Clock clock) {
        this.platform = platform;
        this.clock = clock;
    }

    /** {@code action} is {@code alarm}, {@code once} or {@code interval}, as the route matched it. */
    void invoke(Exchange ex, String caller, String action, Buffer body) {
        try {
            boolean resultOnly = ex.query().flag("result", false);
            ObjectNode params = Exchange.jsonObject(body);
            Feed feed = Feed.named(action);
            String event = params.path("lifecycleEvent").asText("").toUpperCase(Locale.ROOT);
            String trigger = TriggerJson.reference(field(params, "triggerName").orElseThrow(() ->
                    ApiError.badRequest(Messages.TRIGGER_NAME_REQUIRED)), "triggerName", caller);
            long start = clock.millis();
            ex.blocking(() -> switch (event) {
                case "CREATE" -> create(caller, trigger, feed, params);
                case "UPDATE" -> update(caller, trigger, params);
                case "READ" -> read(caller, trigger);
                case "DELETE" -> delete(caller, trigger);
                default -> throw ApiError.badRequest(Messages.unsupportedLifecycleEvent(event));
            }, result -> ex.json(200, resultOnly ? result : activation(caller, feed, result, start)));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    private ObjectNode create(String ns, String name, Feed feed, ObjectNode params) throws ApiError {
        Trigger trigger = existing(ns, name);
        Schedule schedule = readable(() -> created(feed, params));
        ApiError.refusing(() -> platform.putTrigger(ns, trigger.spec().withSchedule(Optional.of(schedule)), true));
        return SUCCESS.deepCopy();
    }

    private ObjectNode update(String ns, String name, ObjectNode params) throws ApiError {
        Trigger trigger = existing(ns, name);
        Schedule current = trigger.spec().schedule().orElseThrow(() -> new ApiError(404, Messages.noSchedule(name)));
        Schedule schedule = readable(() -> updated(current, params));
        ApiError.refusing(() -> platform.putTrigger(ns, trigger.spec().withSchedule(Optional.of(schedule)), true));
        return SUCCESS.deepCopy();
    }

    private ObjectNode delete(String ns, String name) throws ApiError {
        Trigger trigger = existing(ns, name);
        if (trigger.spec().schedule().isPresent()) {
            platform.putTrigger(ns, trigger.spec().withSchedule(Optional.empty()), true);
        }
        return SUCCESS.deepCopy();
    }

    /** The schedule as the alarms package shows a trigger's configuration. */
    private ObjectNode read(String ns, String name) throws ApiError {
        Trigger trigger = existing(ns, name);
        Schedule schedule = trigger.spec().schedule().orElseThrow(() -> new ApiError(404, Messages.noSchedule(name)));
        ObjectNode answer = Exchange.JSON.createObjectNode();
        ObjectNode config = answer.putObject("config").put("name", name).put("namespace", ns);
        config.set("payload", schedule.payload());
        schedule.once().ifPresent(date -> config.put("date", date.toString())
                .put("deleteAfterFire", schedule.deleteAfterFire()));
        schedule.start().ifPresent(start -> config.put("startDate", start.toString()));
        schedule.stop().ifPresent(stop -> config.put("stopDate", stop.toString()));
        schedule.interval().ifPresent(every -> config.put("minutes", BigDecimal.valueOf(every.toMillis())
                .divide(BigDecimal.valueOf(60_000)).stripTrailingZeros()));
        schedule.cron().ifPresent(cron -> config.put("cron", cron).put("timezone", schedule.zone().getId()));
        answer.putObject("status").put("active", true).put("dateChanged", trigger.updated().toEpochMilli())
                .put("dateChangedISO", trigger.updated().toString());
        return answer;
    }

    private Trigger existing(String ns, String name) throws ApiError {
        return platform.trigger(ns, name).orElseThrow(() -> new ApiError(404, Messages.noTrigger(name)));
    }

    /** A schedule the parameters give, or 400 with what does not read. */
    private Schedule readable(Supplier<Schedule> reading) throws ApiError {
        try {
            return ScheduleJson.requireAhead(reading.get(), "date", "stopDate", clock.instant());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Schedule created(Feed feed, ObjectNode params) {
        JsonNode required = field(params, feed.required).orElseThrow(() -> new IllegalArgumentException(
                Messages.missingFeedParameter(feed.action(), feed.required)));
        return new Schedule(
                feed == Feed.ALARM ? Optional.of(ScheduleJson.text("cron", required)) : Optional.empty(),
                feed == Feed.ONCE ? Optional.of(ScheduleJson.time("date", required)) : Optional.empty(),
                feed == Feed.INTERVAL ? Optional.of(minutes(required)) : Optional.empty(),
                field(params, "timezone").map(value -> ScheduleJson.zone("timezone", value)).orElse(ScheduleJson.UTC),
                field(params, "startDate").map(value -> ScheduleJson.time("startDate", value)),
                field(params, "stopDate").map(value -> ScheduleJson.time("stopDate", value)),
                feed == Feed.ONCE && field(params, "deleteAfterFire").map(AlarmFeed::deleteAfterFire).orElse(false),
                field(params, "missed").map(value -> ScheduleJson.missed("missed", value)).orElse(Schedule.Missed.ONCE),
                field(params, "trigger_payload").map(AlarmFeed::payload).orElse(null));
    }

    /** The current schedule with what the parameters give instead. */
    private static Schedule updated(Schedule current, ObjectNode params) {
        return new Schedule(
                field(params, "cron").map(value -> ScheduleJson.text("cron", value)).or(current::cron),
                field(params, "date").map(value -> ScheduleJson.time("date", value)).or(current::once),
                field(params, "minutes").map(AlarmFeed::minutes).or(current::interval),
                field(params, "timezone").map(value -> ScheduleJson.zone("timezone", value)).orElse(current.zone()),
                field(params, "startDate").map(value -> ScheduleJson.time("startDate", value)).or(current::start),
                field(params, "stopDate").map(value -> ScheduleJson.time("stopDate", value)).or(current::stop),
                field(params, "deleteAfterFire").map(AlarmFeed::deleteAfterFire).orElse(current.deleteAfterFire()),
                field(params, "missed").map(value -> ScheduleJson.missed("missed", value)).orElse(current.missed()),
                field(params, "trigger_payload").map(AlarmFeed::payload).orElseGet(current::payload));
    }

    /** Whole minutes, above zero, as a number or a string of one. */
    private static Duration minutes(JsonNode value) {
        String text = value.isTextual() ? value.asText().strip() : value.toString();
        try {
            long minutes = Long.parseLong(text);
            if (minutes > 0 && minutes <= Integer.MAX_VALUE) {
                return Duration.ofMinutes(minutes);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(Messages.badMinutes(text));
    }

    /** {@code false}, {@code true} or {@code rules}: Cove deletes a trigger's rules with it either way. */
    private static boolean deleteAfterFire(JsonNode value) {
        String text = value.isTextual() ? value.asText().strip().toLowerCase(Locale.ROOT) : value.toString();
        return switch (text) {
            case "false" -> false;
            case "true", "rules" -> true;
            default -> throw new IllegalArgumentException(Messages.badDeleteAfterFire(text));
        };
    }

    /** An object, or a string passed as {@code {"payload": …}}, as the alarms package takes it. */
    private static ObjectNode payload(JsonNode value) {
        if (value.isTextual()) {
            return Exchange.JSON.createObjectNode().put("payload", value.asText());
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(Messages.badTriggerPayload(value.toString()));
        }
        return (ObjectNode) value;
    }

    /** The answer of a blocking invocation of the feed's action, as OpenWhisk's clients read it. */
    private ObjectNode activation(String ns, Feed feed, ObjectNode result, long start) {
        long end = clock.millis();
        ObjectNode activation = Exchange.JSON.createObjectNode();
        activation.put("namespace", ns).put("name", feed.action()).put("version", "0.0.1").put("subject", ns);
        activation.put("start", start).put("end", end).put("duration", end - start).put("statusCode", 0);
        activation.putObject("response").put("status", "success").put("statusCode", 0).put("success", true)
                .set("result", result);
        activation.putArray("logs");
        activation.putArray("annotations").addObject().put("key", "path").put("value", "whisk.system/alarms/" + feed.action());
        activation.put("publish", false);
        return activation;
    }
}
