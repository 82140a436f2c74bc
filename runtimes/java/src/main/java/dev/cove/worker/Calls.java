package dev.cove.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests to the platform that wait for its answer: call frames, answered by {@code called}, cache
 * frames, answered by {@code cached}, and publish frames, answered by {@code published}. The asking thread parks until the frame reader hands it
 * the answer; any number may wait at once.
 */
final class Calls {
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final Channel channel;

    Calls(Channel channel) {
        this.channel = channel;
    }

    /** A call frame for the activation, and the called frame that answers it. */
    Map<String, Object> call(String activation, String name, JsonWriter params, boolean wait) {
        Pending request = open("c");
        Frames.call(channel, request.id, activation, name, params, wait);
        return request.await();
    }

    /** A cache frame for the activation, and the cached frame that answers it. */
    Map<String, Object> cache(String activation, String scope, String op, String key, JsonWriter rest) {
        Pending request = open("k");
        Frames.cache(channel, request.id, activation, scope, op, key, rest);
        return request.await();
    }

    /** A publish frame for the activation, and the published frame that answers it. */
    Map<String, Object> publish(String activation, String topic, JsonWriter message) {
        Pending request = open("p");
        Frames.publish(channel, request.id, activation, topic, message);
        return request.await();
    }

    /** A called, cached or published frame: wakes the thread waiting for it, if any. */
    void answer(Map<String, Object> frame) {
        if (frame.get("id") instanceof String id) {
            Pending request = pending.remove(id);
            if (request != null) {
                request.complete(frame);
            }
        }
    }

    private Pending open(String prefix) {
        Pending request = new Pending(prefix + lastId.incrementAndGet(), Thread.currentThread());
        pending.put(request.id, request);
        return request;
    }

    private static final class Pending {
        final String id;
        private final Thread waiter;
        private volatile Map<String, Object> answer;

        Pending(String id, Thread waiter) {
            this.id = id;
            this.waiter = waiter;
        }

        /** Parks until the answer comes; an interrupt meanwhile is kept for the function to see. */
        Map<String, Object> await() {
            boolean interrupted = false;
            while (answer == null) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return answer;
        }

        void complete(Map<String, Object> frame) {
            answer = frame;
            LockSupport.unpark(waiter);
        }
    }
}
