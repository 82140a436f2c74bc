package dev.cove.core.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link MessageBus} promises; each implementation's test extends this. */
public abstract class MessageBusContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MessageBus bus;

    /** A fresh, empty bus. */
    protected abstract MessageBus newBus() throws Exception;

    /** A handler that records each message's text and has handled it. */
    private static MessageBus.Handler into(BlockingQueue<String> queue) {
        return m -> {
            queue.add(text(m.body()));
            return CompletableFuture.completedFuture(null);
        };
    }

    private void publish(String topic, String message) throws Exception {
        assertThat(bus.publish(topic, UUID.randomUUID().toString(), bytes(message)).get(WAIT.toMillis(),
                TimeUnit.MILLISECONDS)).as("taken").isTrue();
    }

    @BeforeEach
    void open() throws Exception {
        bus = newBus();
    }

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void everySubscriberGetsEveryMessageInOrder() throws Exception {
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        bus.subscribe("orders", into(first));
        bus.subscribe("orders", into(second));
        for (int i = 0; i < 100; i++) {
            publish("orders", "m" + i);
        }
        assertThat(take(first, 100)).isEqualTo(numbered(100));
        assertThat(take(second, 100)).isEqualTo(numbered(100));
    }

    @Test
    void aTopicsMessagesReachOnlyItsSubscribers() throws Exception {
        BlockingQueue<String> orders = new LinkedBlockingQueue<>();
        BlockingQueue<String> invoices = new LinkedBlockingQueue<>();
        bus.subscribe("orders", into(orders));
        bus.subscribe("invoices", into(invoices));
        publish("invoices", "i1");
        publish("orders", "o1");
        assertThat(take(orders, 1)).containsExactly("o1");
        assertThat(take(invoices, 1)).containsExactly("i1");
        assertThat(orders.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aQueueGroupHandsEachMessageToOneMember() throws Exception {
        BlockingQueue<String> all = new LinkedBlockingQueue<>();
        List<String> a = Collections.synchronizedList(new ArrayList<>());
        List<String> b = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe("work", "workers", m -> {
            a.add(text(m.body()));
            return into(all).handle(m);
        });
        bus.subscribe("work", "workers", m -> {
            b.add(text(m.body()));
            return into(all).handle(m);
        });
        for (int i = 0; i < 50; i++) {
            publish("work", "m" + i);
        }
        assertThat(take(all, 50)).containsExactlyInAnyOrderElementsOf(numbered(50));
        assertThat(all.poll(200, TimeUnit.MILLISECONDS)).as("no message twice").isNull();
        assertThat(a.size() + b.size()).isEqualTo(50);
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MessageBus.Subscription s = bus.subscribe("news", into(got));
        publish("news", "before");
        assertThat(take(got, 1)).containsExactly("before");
        s.close();
        publish("news", "after");
        assertThat(got.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aFailingHandlerLosesOnlyItsOwnMessage() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        bus.subscribe("news", m -> {
            if (text(m.body()).equals("bad")) {
                throw new IllegalStateException("refused");
            }
            return into(got).handle(m);
        });
        publish("news", "bad");
        publish("news", "good");
        assertThat(take(got, 1)).containsExactly("good");
    }

    @Test
    void aWildcardGetsEveryTopicUnderItsPrefix() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        bus.subscribe("shop.>", m -> {
            got.add(m.topic() + "=" + text(m.body()));
            return CompletableFuture.completedFuture(null);
        });
        publish("shop.orders", "o1");
        publish("shopping", "no");
        publish("shop.orders.eu", "o2");
        publish("other.shop", "no");
        assertThat(take(got, 2)).containsExactly("shop.orders=o1", "shop.orders.eu=o2");
        assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aMessagePublishedAgainUnderItsIdIsDropped() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        bus.subscribe("orders", m -> {
            got.add(m.id() + "=" + text(m.body()));
            return CompletableFuture.completedFuture(null);
        });
        assertThat(bus.publish("orders", "e-1", bytes("first")).get()).isTrue();
        assertThat(bus.publish("orders", "e-1", bytes("again")).get()).as("a duplicate").isFalse();
        assertThat(bus.publish("orders", "e-2", bytes("second")).get()).isTrue();
        assertThat(take(got, 2)).containsExactly("e-1=first", "e-2=second");
        assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aQueueGroupsFailedHandlingComesBackOnlyOnADurableBus() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        AtomicInteger handled = new AtomicInteger();
        bus.subscribe("jobs", "workers", m -> {
            got.add(text(m.body()));
            return handled.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("not now"))
                    : CompletableFuture.completedFuture(null);
        });
        publish("jobs", "j1");
        assertThat(take(got, 1)).containsExactly("j1");
        if (bus.durable()) {
            assertThat(take(got, 1)).as("delivered again").containsExactly("j1");
        } else {
            assertThat(got.poll(300, TimeUnit.MILLISECONDS)).as("lost").isNull();
        }
        publish("jobs", "j2");
        assertThat(take(got, 1)).containsExactly("j2");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> numbered(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("m" + i);
        }
        return list;
    }

    private static List<String> take(BlockingQueue<String> queue, int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n) {
            String next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            got.add(next);
        }
        return got;
    }
}
