package dev.cove.java.inline;

import io.netty.channel.SingleThreadEventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts virtual threads for activations, in batches when asked from an event loop: the threads asked
 * for while the loop handles the requests that were ready together are started together once it is
 * through with them.
 *
 * <p>Why: each start from outside the virtual threads' scheduler wakes one of its parked carrier
 * threads when it finds one idle. An inline function as short as an echo leaves its carrier idle
 * again before the event loop has the next request ready, so started one by one every activation paid
 * for a wake-up on the event loop's side and a park on the carrier's. Started back to back, only the
 * first starts find an idle carrier (bench/README.md, "Java's inline tier", has the measurement).
 * What it costs an activation: the rest of the loop's pass over the ready requests.
 */
final class VirtualStarts {
    private static final ThreadLocal<List<Thread>> PENDING = new ThreadLocal<>();

    private VirtualStarts() {}

    /** Starts a virtual thread of this name running the activation, soon when on an event loop. */
    static void start(String name, Runnable activation) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(activation);
        if (Context.isOnEventLoopThread()
                && Vertx.currentContext() instanceof ContextInternal context
                && context.nettyEventLoop() instanceof SingleThreadEventLoop loop) {
            List<Thread> pending = PENDING.get();
            if (pending == null) {
                List<Thread> batch = new ArrayList<>();
                PENDING.set(batch);
                loop.executeAfterEventLoopIteration(() -> {
                    PENDING.remove();
                    batch.forEach(Thread::start);
                });
                pending = batch;
            }
            pending.add(thread);
            return;
        }
        thread.start();
    }
}
