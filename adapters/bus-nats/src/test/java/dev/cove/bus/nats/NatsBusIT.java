package dev.cove.bus.nats;

import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.MessageBusContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract against a real nats-server this test starts, and what only a durable bus does: a
 * message stays until a node handled it, across the node's death and the server's restart, and the
 * bus reconnects by itself.
 */
class NatsBusIT extends MessageBusContract {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger BUSES = new AtomicInteger();

    private static Path store;
    private static NatsServer server;
    private final List<NatsBus> opened = new ArrayList<>();

    @BeforeAll
    static void startNats() throws Exception {
        store = Files.createTempDirectory("cove-nats-store");
        server = NatsServer.start(store);
    }

    @AfterAll
    static void stopNats() throws Exception {
        server.close();
        try (var files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void closeOpened() {
        opened.forEach(NatsBus::close);
    }

    /** A bus of its own: its own subjects and stream, so no test sees another's messages. */
    @Override
    protected MessageBus newBus() throws Exception {
        int n = BUSES.incrementAndGet();
        return open(settings("t" + n));
    }

    private static NatsSettings settings(String name) {
        return NatsSettings.of(server.url()).withSubjects("cove-test." + name, "COVE_TEST_" + name)
                .withWaits(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private NatsBus open(NatsSettings settings) throws IOException {
        NatsBus bus = NatsBus.connect(settings);
        opened.add(bus);
        return bus;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageBus.Handler into(BlockingQueue<String> queue) {
        return m -> {
            queue.add(new String(m.body(), StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Test
    void aMessageANodeNeverAcknowledgedGoesToTheNextNode() throws Exception {
        NatsSettings shared = settings("handover");
        NatsBus first = open(shared);
        BlockingQueue<String> firstGot = new LinkedBlockingQueue<>();
        first.subscribe("jobs", "workers", m -> {
            firstGot.add(new String(m.body(), StandardCharsets.UTF_8));
            return new CompletableFuture<>(); // this node dies before it finishes
        });
        assertThat(first.publish("jobs", "j-1", bytes("j1")).get()).isTrue();
        assertThat(firstGot.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("j1");
        first.close();

        BlockingQueue<String> secondGot = new LinkedBlockingQueue<>();
        open(shared).subscribe("jobs", "workers", into(secondGot));
        assertThat(secondGot.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("after the ack wait").isEqualTo("j1");
    }

    @Test
    void theBusReconnectsByItselfAndLosesNothingTheStreamStored() throws Exception {
        NatsSettings shared = settings("restart");
        NatsBus publisher = open(shared);
        NatsBus subscriber = open(shared);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MessageBus.Subscription group = subscriber.subscribe("jobs", "workers", into(got));
        assertThat(publisher.publish("jobs", "before", bytes("before")).get()).isTrue();
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("before");

        server.stop();
        assertThatThrownBy(() -> publisher.publish("jobs", "while-down", bytes("while down")).get(WAIT.toSeconds(),
                TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .hasMessageStartingWith("NATS at " + server.url() + " did not take the message (");
        server.start();
        publishOnceBack(publisher, "while-down", "while down"); // again: the client's buffered copy may be lost
        publishOnceBack(publisher, "after", "after");
        assertThat(List.of(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS), got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)))
                .as("once each, to the group that resumed by itself").containsExactly("while down", "after");

        group.close(); // nobody takes what follows until the server has restarted
        assertThat(publisher.publish("jobs", "kept", bytes("kept")).get()).isTrue();
        server.stop();
        server.start();
        publishOnceBack(publisher, "after-restart", "after restart");
        subscribeOnceBack(subscriber, got);
        assertThat(List.of(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS), got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)))
                .as("stored before the restart, and after (kept may come again, after its ack wait, behind the other)")
                .containsExactlyInAnyOrder("kept", "after restart");
        assertThat(got.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    }

    /** Publishes as soon as the publisher is back: its reconnection announces itself nowhere a test sees. */
    private static void publishOnceBack(NatsBus publisher, String id, String message) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                publisher.publish("jobs", id, bytes(message)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void subscribeOnceBack(NatsBus subscriber, BlockingQueue<String> got) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                subscriber.subscribe("jobs", "workers", into(got));
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void noServerAndNoJetStreamAreClearErrors() throws Exception {
        assertThatThrownBy(() -> NatsBus.connect(NatsSettings.of("nats://127.0.0.1:1")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("Could not reach NATS at nats://127.0.0.1:1: ");
        try (NatsServer plain = NatsServer.withoutJetStream()) {
            assertThatThrownBy(() -> NatsBus.connect(NatsSettings.of(plain.url())))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("NATS at " + plain.url() + " can't keep Cove's messages (is JetStream on?");
        }
    }
}
