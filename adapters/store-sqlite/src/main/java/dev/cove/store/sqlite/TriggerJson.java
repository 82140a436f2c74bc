package dev.cove.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.HttpRoute;
import dev.cove.core.model.Schedule;
import dev.cove.core.model.TriggerSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The stored form of a {@link TriggerSpec}: its parameters, annotations and schedule as one JSON object. */
final class TriggerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerJson() {}

    static String write(TriggerSpec spec) {
        ObjectNode node = JSON.createObjectNode();
        node.set("parameters", spec.parameters());
        node.set("annotations", spec.annotations());
        spec.schedule().ifPresent(schedule -> node.set("schedule", write(schedule)));
        spec.topic().ifPresent(topic -> node.put("topic", topic));
        spec.http().ifPresent(route -> {
            ObjectNode http = node.putObject("http").put("path", route.path()).put("function", route.function());
            route.methods().forEach(http.putArray("methods")::add);
        });
        return node.toString();
    }

    private static ObjectNode write(Schedule schedule) {
        ObjectNode node = JSON.createObjectNode();
        schedule.cron().ifPresent(cron -> node.put("cron", cron));
        schedule.once().ifPresent(once -> node.put("once", once.toString()));
        schedule.interval().ifPresent(interval -> node.put("intervalMs", interval.toMillis()));
        node.put("zone", schedule.zone().getId());
        schedule.start().ifPresent(start -> node.put("start", start.toString()));
        schedule.stop().ifPresent(stop -> node.put("stop", stop.toString()));
        node.put("deleteAfterFire", schedule.deleteAfterFire());
        node.put("missed", schedule.missed().name());
        node.set("payload", schedule.payload());
        return node;
    }

    static TriggerSpec read(String name, String json) {
        JsonNode node = SpecJson.readTree(json);
        JsonNode s = node.path("schedule");
        Optional<Schedule> schedule = s.isObject() ? Optional.of(new Schedule(text(s, "cron", Function.identity()),
                text(s, "once", Instant::parse), s.has("intervalMs") ? Optional.of(Duration.ofMillis(s.path("intervalMs").asLong()))
                        : Optional.empty(), ZoneId.of(s.path("zone").asText()), text(s, "start", Instant::parse),
                text(s, "stop", Instant::parse), s.path("deleteAfterFire").asBoolean(),
                Schedule.Missed.valueOf(s.path("missed").asText()), (ObjectNode) s.path("payload")))
                : Optional.empty();
        JsonNode h = node.path("http");
        Optional<HttpRoute> http = Optional.empty();
        if (h.isObject()) {
            Set<String> methods = new TreeSet<>();
            h.path("methods").forEach(m -> methods.add(m.asText()));
            http = Optional.of(new HttpRoute(h.path("path").asText(), methods, h.path("function").asText()));
        }
        return new TriggerSpec(name, (ObjectNode) node.path("parameters"), (ObjectNode) node.path("annotations"), schedule,
                text(node, "topic", Function.identity()), http);
    }

    private static <T> Optional<T> text(JsonNode node, String field, Function<String, T> parse) {
        return node.hasNonNull(field) ? Optional.of(parse.apply(node.path(field).asText())) : Optional.empty();
    }
}
