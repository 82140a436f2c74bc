package dev.cove.core.model;

import java.util.List;

/**
 * A message published on a topic, as it went.
 *
 * @param eventId the message's id, the publisher's or one it was given
 * @param fired the activation of each trigger it fired (a trigger without an active rule has none)
 * @param duplicate true when a message with that id was published on the topic lately: it fired nothing
 */
public record TopicMessage(String eventId, List<String> fired, boolean duplicate) {
    public TopicMessage {
        fired = List.copyOf(fired);
    }
}
