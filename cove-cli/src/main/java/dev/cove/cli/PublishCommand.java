package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove publish TOPIC JSON}: a message on a topic, which fires every trigger of that topic. */
@Command(name = "publish", description = "Publish a message, a JSON object, on a topic of the namespace: every"
        + " trigger created with --topic TOPIC fires with it as its payload. Prints the message's event id and how"
        + " many triggers it fired.",
        footer = {"", "Examples:",
            "  cove trigger create replicas --topic k8s_replicas",
            "  cove publish k8s_replicas '{\"name\": \"web\", \"replicas\": 0}'",
            "  cove publish k8s_replicas @message.json --event-id web-0",
            "  cove publish k8s_replicas -p name web -p replicas 0"})
final class PublishCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic's name.")
    String topic;

    @Parameters(index = "1", paramLabel = "JSON|@FILE", arity = "0..1",
            description = "The message, a JSON object, or @FILE to read it from a file (default: {}).")
    Optional<String> messageJson = Optional.empty();

    @Mixin
    ParameterOptions input = new ParameterOptions();

    @Option(names = "--event-id", paramLabel = "ID",
            description = "The message's event id: the same message published again under the same id within ten"
                    + " minutes is dropped, so a retry fires nothing twice (default: the server makes one up).")
    Optional<String> eventId = Optional.empty();

    @Override
    int run(CoveClient client) {
        Map<String, String> headers = eventId.map(id -> Map.of("X-Event-Id", id)).orElse(Map.of());
        CoveClient.Response response = client.publish(topic, message(), headers);
        out().println(json() ? response.body() : outcome(response.json(), topic));
        return 0;
    }

    /** The JSON after TOPIC (or --data), then each -p over it. */
    ObjectNode message() {
        if (eventId.isPresent() && eventId.get().isBlank()) {
            throw usage("--event-id is blank: give an id, or leave the option out");
        }
        if (messageJson.isPresent()) {
            if (input.data.isPresent()) {
                throw usage("give the message once: as JSON after TOPIC, or with --data");
            }
            input.data = messageJson;
        }
        return input.parameters(this::usage);
    }

    /** {@code event ID: fired 2 triggers}, or why nothing fired, or that NATS holds it. */
    static String outcome(JsonNode answer, String topic) {
        String event = "event " + Json.text(answer, "eventId") + ": ";
        if (answer.path("duplicate").asBoolean()) {
            return event + "duplicate: nothing fired (it was published under this id within the last ten minutes)";
        }
        if (answer.path("queued").asBoolean()) {
            return event + "stored on NATS: its triggers fire as a node takes it (cove activation list shows them)";
        }
        int fired = answer.path("fired").size();
        return switch (fired) {
            case 0 -> event + "fired no trigger (cove trigger create NAME --topic " + topic + " adds one)";
            case 1 -> event + "fired 1 trigger";
            default -> event + "fired " + fired + " triggers";
        };
    }
}
