package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A trigger as its author gives it: a name that events are fired at, and what every fire carries.
 *
 * @param name as a function's name
 * @param parameters defaults of every fire's payload: a fire's own fields win
 * @param annotations kept and shown, as OpenWhisk's (its {@code feed} among them)
 * @param schedule when it fires by itself, if it does
 * @param topic the topic of its namespace whose every message fires it, if one does
 * @param http the path and methods at which a function answers HTTP requests, if it is an HTTP trigger
 */
public record TriggerSpec(String name, ObjectNode parameters, ObjectNode annotations, Optional<Schedule> schedule,
        Optional<String> topic, Optional<HttpRoute> http) {

    public TriggerSpec {
        FunctionSpec.requireName("trigger", name);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(http, "http");
        topic.ifPresent(t -> FunctionSpec.requireName("topic", t));
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
        annotations = annotations == null ? JsonNodeFactory.instance.objectNode() : annotations.deepCopy();
    }

    /** A trigger that no topic fires. */
    public TriggerSpec(String name, ObjectNode parameters, ObjectNode annotations, Optional<Schedule> schedule) {
        this(name, parameters, annotations, schedule, Optional.empty(), Optional.empty());
    }

    /** A trigger with no parameters, annotations, schedule or topic. */
    public static TriggerSpec of(String name) {
        return new TriggerSpec(name, null, null, Optional.empty());
    }

    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }

    @Override
    public ObjectNode annotations() {
        return annotations.deepCopy();
    }

    public TriggerSpec withSchedule(Optional<Schedule> newSchedule) {
        return new TriggerSpec(name, parameters, annotations, newSchedule, topic, http);
    }

    public TriggerSpec withTopic(Optional<String> newTopic) {
        return new TriggerSpec(name, parameters, annotations, schedule, newTopic, http);
    }

    public TriggerSpec withHttp(Optional<HttpRoute> newHttp) {
        return new TriggerSpec(name, parameters, annotations, schedule, topic, newHttp);
    }
}
