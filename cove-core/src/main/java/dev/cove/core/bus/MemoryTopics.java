package dev.cove.core.bus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cove.core.spi.MessageBus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded message bus: topics in this process, not durable. Each subscription has a serial
 * executor of its own, so a slow handler delays only its own messages and each sees them in publishing
 * order; a queue group hands its messages round robin.
 */
final class MemoryTopics implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTopics.class);
    private static final String EVERYONE = "";
    private static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_REMEMBERED_IDS = 100_000;

    /**
     * Subscribers by the topic they asked for (a wildcard {@code a.>} as such), then by queue group
     * ({@link #EVERYONE} for those who get every message).
     */
    private final Map<String, Map<String, Group>> topics = new ConcurrentHashMap<>();
    /** The ids published lately, by topic: a message published again is dropped. */
    private final Cache<String, Boolean> published = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED_IDS).expireAfterWrite(DUPLICATE_WINDOW).build();
    private volatile boolean closed;

    @Override
    public CompletableFuture<Boolean> publish(String topic, String id, byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the message bus is closed"));
        }
        if (published.asMap().putIfAbsent(topic + "\n" + id, Boolean.TRUE) != null) {
            return CompletableFuture.completedFuture(false);
        }
        Delivery delivery = new Delivery(topic, id, message);
        topics.forEach((wanted, groups) -> {
            if (matches(wanted, topic)) {
                groups.forEach((group, members) -> members.deliver(group, delivery));
            }
        });
        return CompletableFuture.completedFuture(true);
    }

    /** Whether a subscription to {@code wanted} ({@code a.b}, {@code a.>} or {@code >}) gets {@code topic}'s messages. */
    static boolean matches(String wanted, String topic) {
        if (wanted.equals(">")) {
            return true;
        }
        if (wanted.endsWith(".>")) {
            String prefix = wanted.substring(0, wanted.length() - 1);
            return topic.length() > prefix.length() && topic.startsWith(prefix);
        }
        return wanted.equals(topic);
    }

    @Override
    public Subscription subscribe(String topic, Handler handler) {
        return join(topic, EVERYONE, handler);
    }

    @Override
    public Subscription subscribe(String topic, String group, Handler handler) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("a queue group needs a name");
        }
        return join(topic, group, handler);
    }

    @Override
    public boolean durable() {
        return false;
    }

    private Subscription join(String topic, String group, Handler handler) {
        Member member = new Member(handler);
        Group members = topics.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(group, g -> new Group());
        members.add(member);
        return () -> {
            members.remove(member);
            member.stop();
        };
    }

    @Override
    public void close() {
        closed = true;
        topics.values().forEach(groups -> groups.values().forEach(Group::stopAll));
        topics.clear();
    }

    private static final class Group {
        private final List<Member> members = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        void add(Member member) {
            members.add(member);
        }

        void remove(Member member) {
            members.remove(member);
        }

        void deliver(String group, Delivery message) {
            List<Member> now = List.copyOf(members);
            if (now.isEmpty()) {
                return;
            }
            if (group.equals(EVERYONE)) {
                now.forEach(m -> m.deliver(message));
            } else {
                now.get(Math.floorMod(next.getAndIncrement(), now.size())).deliver(message);
            }
        }

        void stopAll() {
            members.forEach(Member::stop);
        }
    }

    private static final class Member {
        private final Handler handler;
        private final ExecutorService serial = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("cove-topic-subscriber").factory());

        Member(Handler handler) {
            this.handler = handler;
        }

        void deliver(Delivery message) {
            try {
                serial.execute(() -> handle(message));
            } catch (RejectedExecutionException e) {
                // unsubscribed meanwhile: the message is not for it any more
            }
        }

        private void handle(Delivery message) {
            try {
                handler.handle(message).whenComplete((done, failure) -> {
                    if (failure != null) {
                        lost(message, failure);
                    }
                });
            } catch (RuntimeException e) {
                lost(message, e);
            }
        }

        private static void lost(Delivery message, Throwable failure) {
            LOG.warn("a subscriber of topic {} failed on message {}: {}", message.topic(), message.id(), failure.toString());
        }

        void stop() {
            serial.shutdownNow();
        }
    }
}
