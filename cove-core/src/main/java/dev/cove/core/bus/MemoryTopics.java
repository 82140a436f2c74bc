package dev.cove.core.bus;

import dev.cove.core.spi.MessageBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded message bus: topics in this process. Each subscription has a serial executor of its
 * own, so a slow handler delays only its own messages and each sees them in publishing order; a
 * queue group hands its messages round robin.
 */
final class MemoryTopics implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTopics.class);
    private static final String EVERYONE = "";

    /** Subscribers by topic, then by queue group ({@link #EVERYONE} for those who get every message). */
    private final Map<String, Map<String, Group>> topics = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the message bus is closed"));
        }
        topics.getOrDefault(topic, Map.of()).forEach((group, members) -> members.deliver(group, message));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String topic, Consumer<byte[]> handler) {
        return join(topic, EVERYONE, handler);
    }

    @Override
    public Subscription subscribe(String topic, String group, Consumer<byte[]> handler) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("a queue group needs a name");
        }
        return join(topic, group, handler);
    }

    private Subscription join(String topic, String group, Consumer<byte[]> handler) {
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

        void deliver(String group, byte[] message) {
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
        private final Consumer<byte[]> handler;
        private final ExecutorService serial = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("cove-topic-subscriber").factory());

        Member(Consumer<byte[]> handler) {
            this.handler = handler;
        }

        void deliver(byte[] message) {
            try {
                serial.execute(() -> handle(message));
            } catch (RejectedExecutionException e) {
                // unsubscribed meanwhile: the message is not for it any more
            }
        }

        private void handle(byte[] message) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("a topic's subscriber failed on a message: {}", e.toString());
            }
        }

        void stop() {
            serial.shutdownNow();
        }
    }
}
