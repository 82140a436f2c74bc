package dev.cove.bus.nats;

import dev.cove.core.spi.MessageBus;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics on NATS JetStream: a topic is a subject under the settings' prefix, kept by one stream for a
 * day ({@link NatsSettings#KEPT_FOR}). A publish completes once the stream stored the message, and a
 * message published again under its id (the {@code Nats-Msg-Id} header) within ten minutes is dropped by
 * the stream. A queue group is a durable consumer, on the server: it outlives its subscribers and this
 * process, starts from the messages published after it was first made, and hands each message to one
 * subscriber, which acknowledges it once its handling completes; a failed handling, or none within the
 * ack wait, makes it come again ({@link #REDELIVERY_DELAY} after a failure), behind those published after
 * it that came meanwhile. A subscription outside a
 * group is an ordered consumer of the stream, as long as it lasts: what it misses is gone.
 *
 * <p>When the server goes away the connection reconnects by itself, for as long as it takes; meanwhile a
 * publish fails after the settings' publish timeout (what it sent is buffered by the client, up to its
 * reconnect buffer, and may or may not reach the stream on reconnection: a JetStream that is still
 * starting drops it; publishing again under the same id is safe), and the consumers resume where they
 * were within a few seconds ({@link #PULLS}).
 */
public final class NatsBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBus.class);
    /** A message whose handling failed comes again after this. */
    static final Duration REDELIVERY_DELAY = Duration.ofSeconds(1);
    private static final long MAX_UNACKNOWLEDGED = 1_000;
    /**
     * A consumer's pulls last 3 s: a pull the server forgot in a restart is made again within that, where
     * the client's default (30 s) left the subscribers deaf for half a minute after a reconnection.
     */
    private static final ConsumeOptions PULLS = ConsumeOptions.builder().expiresIn(3_000).build();

    private final NatsSettings settings;
    private final Connection connection;
    private final JetStream jetStream;

    private NatsBus(NatsSettings settings, Connection connection, JetStream jetStream) {
        this.settings = settings;
        this.connection = connection;
        this.jetStream = jetStream;
    }

    /**
     * Connects and makes the stream where missing (or brings its subjects and windows to the settings').
     *
     * @throws IOException when the server can't be reached or has no JetStream, saying so
     */
    public static NatsBus connect(NatsSettings settings) throws IOException {
        Logged logged = new Logged(settings.url());
        Options.Builder options = Options.builder().server(settings.url()).connectionName("cove")
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(logged).errorListener(logged);
        if (!settings.user().isEmpty()) {
            options.userInfo(settings.user(), settings.password());
        }
        Connection connection;
        try {
            connection = Nats.connect(options.build());
        } catch (IOException e) {
            throw new IOException("Could not reach NATS at " + settings.url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while connecting to NATS at " + settings.url(), e);
        }
        try {
            keepStream(connection.jetStreamManagement(), settings);
            return new NatsBus(settings, connection, connection.jetStream());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            close(connection);
            throw new IOException("NATS at " + settings.url() + " can't keep Cove's messages (is JetStream on? start"
                    + " nats-server with -js, and -sd DIR to keep them on disk): " + e.getMessage(), e);
        }
    }

    private static void keepStream(JetStreamManagement management, NatsSettings settings)
            throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder().name(settings.stream())
                .subjects(settings.prefix() + ".>").storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits).maxAge(NatsSettings.KEPT_FOR)
                .duplicateWindow(NatsSettings.DUPLICATE_WINDOW).build();
        if (management.getStreamNames().contains(settings.stream())) {
            management.updateStream(config);
        } else {
            management.addStream(config);
        }
    }

    @Override
    public CompletableFuture<Boolean> publish(String topic, String id, byte[] message) {
        CompletableFuture<Boolean> stored;
        try {
            stored = jetStream.publishAsync(subject(topic), message, PublishOptions.builder().messageId(id).build())
                    .thenApply(ack -> !ack.isDuplicate());
        } catch (RuntimeException e) { // the reconnect buffer is full, or the connection closed
            return CompletableFuture.failedFuture(unpublished(e));
        }
        return stored.orTimeout(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unpublished(failure)));
    }

    private IllegalStateException unpublished(Throwable failure) {
        Throwable cause = failure.getCause() != null && !(failure instanceof TimeoutException) ? failure.getCause() : failure;
        String why = cause instanceof TimeoutException
                ? "it was not stored within " + settings.publishTimeout().toMillis() + " ms"
                : String.valueOf(cause.getMessage());
        return new IllegalStateException("NATS at " + settings.url() + " did not take the message ("
                + connection.getStatus().name().toLowerCase(Locale.ROOT) + "): " + why, cause);
    }

    /** An ordered consumer of the stream's new messages: what the stream dropped as a duplicate it never sees. */
    @Override
    public Subscription subscribe(String topic, Handler handler) {
        OrderedConsumerConfiguration config = new OrderedConsumerConfiguration().filterSubject(subject(topic))
                .deliverPolicy(DeliverPolicy.New);
        try {
            return consuming(jetStream.getStreamContext(settings.stream()).createOrderedConsumer(config)
                    .consume(PULLS, message -> handleQuietly(handler, delivery(message))));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("NATS at " + settings.url() + " refused a subscription to " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Subscription subscribe(String topic, String group, Handler handler) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("a queue group needs a name");
        }
        ConsumerConfiguration config = ConsumerConfiguration.builder()
                .durable((group + "-" + topic).replaceAll("[^A-Za-z0-9_-]", "_"))
                .filterSubject(subject(topic)).ackPolicy(AckPolicy.Explicit).ackWait(settings.ackWait())
                .deliverPolicy(DeliverPolicy.New).maxAckPending(MAX_UNACKNOWLEDGED).build();
        try {
            ConsumerContext context = jetStream.getStreamContext(settings.stream()).createOrUpdateConsumer(config);
            return consuming(context.consume(PULLS, message -> handleDurably(handler, message)));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("NATS at " + settings.url() + " refused queue group " + group + " on "
                    + topic + ": " + e.getMessage(), e);
        }
    }

    private static Subscription consuming(MessageConsumer consumer) {
        return () -> {
            try {
                consumer.close();
            } catch (Exception e) {
                LOG.debug("closing a NATS consumer: {}", e.toString());
            }
        };
    }

    /** Hands the message over; acknowledges it once handled, or asks for it again when that failed. */
    private void handleDurably(Handler handler, Message message) {
        Delivery delivery = delivery(message);
        CompletionStage<?> handled;
        try {
            handled = handler.handle(delivery);
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        handled.whenComplete((done, failure) -> {
            if (failure == null) {
                message.ack();
            } else {
                LOG.warn("handling message {} of topic {} failed, it comes again in {} s: {}", delivery.id(),
                        delivery.topic(), REDELIVERY_DELAY.toSeconds(), failure.toString());
                message.nakWithDelay(REDELIVERY_DELAY);
            }
        });
    }

    private static void handleQuietly(Handler handler, Delivery delivery) {
        try {
            handler.handle(delivery).whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.warn("a subscriber of topic {} failed on message {}: {}", delivery.topic(), delivery.id(),
                            failure.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("a subscriber of topic {} failed on message {}: {}", delivery.topic(), delivery.id(), e.toString());
        }
    }

    /** The message as a subscriber sees it; one published without an id is known by its place in the stream. */
    private Delivery delivery(Message message) {
        String id = message.hasHeaders() ? message.getHeaders().getFirst(NatsJetStreamConstants.MSG_ID_HDR) : null;
        return new Delivery(message.getSubject().substring(settings.prefix().length() + 1),
                id == null || id.isEmpty() ? "nats-" + message.metaData().streamSequence() : id, message.getData());
    }

    private String subject(String topic) {
        return settings.prefix() + "." + topic;
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** Where this bus is, for the server's banner. */
    public String describe() {
        return "NATS JetStream at " + settings.url() + " (stream " + settings.stream() + ", subjects " + settings.prefix()
                + ".>)";
    }

    @Override
    public void close() {
        close(connection);
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The connection's news and the client's asynchronous errors, in the server's log: a lost connection
     * and its return once each, not every attempt between.
     */
    private static final class Logged implements ErrorListener, ConnectionListener {
        private final String url;
        private volatile boolean away;

        Logged(String url) {
            this.url = url;
        }

        /** The client's older form, which it still requires; it calls the one below. */
        @Override
        @Deprecated
        public void connectionEvent(Connection conn, Events type) {
            connectionEvent(conn, type, null, null);
        }

        @Override
        public void connectionEvent(Connection conn, Events type, Long time, String uriDetails) {
            switch (type) {
                case DISCONNECTED -> {
                    if (!away) {
                        away = true;
                        LOG.warn("NATS at {} is gone: reconnecting; publishes fail until it is back", url);
                    }
                }
                case RECONNECTED -> {
                    away = false;
                    LOG.info("NATS at {} is back", url);
                }
                default -> LOG.debug("NATS at {}: {}", url, type);
            }
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("NATS at {}: {}", url, error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            if (away) {
                LOG.debug("NATS at {}: {}", url, exp.toString());
            } else {
                LOG.warn("NATS at {}: {}", url, exp.toString());
            }
        }
    }
}
