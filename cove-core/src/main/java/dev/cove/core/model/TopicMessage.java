package dev.cove.core.model;

import java.util.List;

/**
 * A message published on a topic, as it went.
 *
 * @param eventId the message's id, the publisher's or one it was given
 * @param fired the activation of each trigger it fired (a trigger without an active rule has none)
 * @param duplicate true when a message with that id was published on the topic lately: it fired nothing
 * @param queued true when it went to a durable bus, which fires its triggers once a node takes it from
 *     there: {@code fired} is empty
 */
public record TopicMessage(String eventId, List<String> fired, boolean duplicate, boolean queued) {
    public TopicMessage {
        fired = List.copyOf(fired);
    }

    /** A message a durable bus took (or dropped as a duplicate). */
    public static TopicMessage queued(String eventId, boolean duplicate) {
        return new TopicMessage(eventId, List.of(), duplicate, true);
    }
}
