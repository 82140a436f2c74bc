package dev.cove.bus.nats;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how Cove's topics live on NATS.
 *
 * @param url the server, {@code nats://HOST:PORT}
 * @param user the user to connect as, or empty for none
 * @param password its password (never on a command line: {@code cove up} reads it from the environment)
 * @param prefix the subjects Cove's topics take: topic {@code t} is subject {@code PREFIX.t}
 * @param stream the JetStream stream that keeps them (subjects {@code PREFIX.>}), made where missing
 * @param ackWait how long a message handed to a node may go unacknowledged before another gets it
 * @param publishTimeout how long a publish waits for the stream to store the message
 */
public record NatsSettings(String url, String user, String password, String prefix, String stream, Duration ackWait,
        Duration publishTimeout) {
    /** How long the stream keeps a message after it was published, handled or not. */
    public static final Duration KEPT_FOR = Duration.ofDays(1);
    /** A message published again under its id within this is dropped. */
    public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

    public NatsSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith("nats://") && !url.startsWith("tls://")) {
            throw new IllegalArgumentException("a NATS server is nats://HOST:PORT (or tls://), was '" + url + "'");
        }
        if (!prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("a subject prefix is words of letters, digits, '_' or '-' joined by"
                    + " '.', was '" + prefix + "'");
        }
        if (!stream.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a stream name is letters, digits, '_' or '-', was '" + stream + "'");
        }
        if (ackWait.isNegative() || ackWait.isZero() || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("NATS's waits must be positive");
        }
    }

    /** The server at {@code url}, Cove's subjects under {@code cove.}, kept in stream {@code COVE}. */
    public static NatsSettings of(String url) {
        return new NatsSettings(url, "", "", "cove", "COVE", Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public NatsSettings withCredentials(String newUser, String newPassword) {
        return new NatsSettings(url, newUser, newPassword, prefix, stream, ackWait, publishTimeout);
    }

    public NatsSettings withSubjects(String newPrefix, String newStream) {
        return new NatsSettings(url, user, password, newPrefix, newStream, ackWait, publishTimeout);
    }

    public NatsSettings withWaits(Duration newAckWait, Duration newPublishTimeout) {
        return new NatsSettings(url, user, password, prefix, stream, newAckWait, newPublishTimeout);
    }

    @Override
    public String toString() {
        return "NatsSettings[" + url + (user.isEmpty() ? "" : ", user=" + user) + ", prefix=" + prefix + ", stream="
                + stream + "]";
    }
}
