package dev.cove.core.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
        bus.subscribe("orders", m -> first.add(text(m)));
        bus.subscribe("orders", m -> second.add(text(m)));
        for (int i = 0; i < 100; i++) {
            bus.publish("orders", bytes("m" + i)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(take(first, 100)).isEqualTo(numbered(100));
        assertThat(take(second, 100)).isEqualTo(numbered(100));
    }

    @Test
    void aTopicsMessagesReachOnlyItsSubscribers() throws Exception {
        BlockingQueue<String> orders = new LinkedBlockingQueue<>();
        BlockingQueue<String> invoices = new LinkedBlockingQueue<>();
        bus.subscribe("orders", m -> orders.add(text(m)));
        bus.subscribe("invoices", m -> invoices.add(text(m)));
        bus.publish("invoices", bytes("i1")).get();
        bus.publish("orders", bytes("o1")).get();
        assertThat(take(orders, 1)).containsExactly("o1");
        assertThat(take(invoices, 1)).containsExactly("i1");
        assertThat(orders.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aQueueGroupHandsEachMessageToOneMember() throws Exception {
        BlockingQueue<String> all = new LinkedBlockingQueue<>();
        List<String> a = Collections.synchronizedList(new ArrayList<>());
        List<String> b = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe("work", "workers", m -> { a.add(text(m)); all.add(text(m)); });
        bus.subscribe("work", "workers", m -> { b.add(text(m)); all.add(text(m)); });
        for (int i = 0; i < 50; i++) {
            bus.publish("work", bytes("m" + i)).get();
        }
        assertThat(take(all, 50)).containsExactlyInAnyOrderElementsOf(numbered(50));
        assertThat(all.poll(200, TimeUnit.MILLISECONDS)).as("no message twice").isNull();
        assertThat(a.size() + b.size()).isEqualTo(50);
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MessageBus.Subscription s = bus.subscribe("news", m -> got.add(text(m)));
        bus.publish("news", bytes("before")).get();
        assertThat(take(got, 1)).containsExactly("before");
        s.close();
        bus.publish("news", bytes("after")).get();
        assertThat(got.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aFailingHandlerLosesOnlyItsOwnMessage() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        bus.subscribe("news", m -> {
            if (text(m).equals("bad")) {
                throw new IllegalStateException("refused");
            }
            got.add(text(m));
        });
        bus.publish("news", bytes("bad")).get();
        bus.publish("news", bytes("good")).get();
        assertThat(take(got, 1)).containsExactly("good");
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
