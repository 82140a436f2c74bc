package dev.cove.core.debug;

import dev.cove.core.model.DebugSession;
import dev.cove.core.registry.Registry;
import dev.cove.core.spi.ActivationStore;
import dev.cove.core.spi.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DebugSessionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final DebugSession OPENED = DebugSession.open("guest", "uuid", "function f", T0);

    @Test
    void theLaterEndWinsWhicheverCameFirst() {
        Store store = Registry.memoryStore();
        DebugSessions sessions = DebugSessions.create(store);
        sessions.opened(OPENED);
        assertThat(store.debugSessions("guest", 10)).containsExactly(OPENED);
        DebugSession closed = OPENED.closedAt(T0.plusSeconds(2));
        sessions.ended(closed);
        sessions.ended(closed.exitedWith(137)); // the killed shell's status, heard after the close
        sessions.close();
        assertThat(store.debugSessions("guest", 10)).containsExactly(closed.exitedWith(137));
    }

    @Test
    void anEndIsListedWhileItIsOnItsWayToTheStore() throws Exception {
        Store memory = Registry.memoryStore();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DebugSessions sessions = DebugSessions.create(endsWaitFor(memory, writing, release));
        sessions.opened(OPENED);
        DebugSession closed = OPENED.closedAt(T0.plusSeconds(2)).exitedWith(0);
        sessions.ended(closed);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(memory.debugSessions("guest", 10)).containsExactly(OPENED);
        assertThat(sessions.list("guest", 10)).containsExactly(closed);
        release.countDown();
        sessions.close();
        assertThat(memory.debugSessions("guest", 10)).containsExactly(closed);
        assertThat(sessions.list("guest", 10)).containsExactly(closed);
    }

    @Test
    void anEndThatComesOnceClosedIsNotStored() {
        Store store = Registry.memoryStore();
        DebugSessions sessions = DebugSessions.create(store);
        sessions.opened(OPENED);
        sessions.close();
        sessions.ended(OPENED.closedAt(T0.plusSeconds(1)));
        assertThat(store.debugSessions("guest", 10)).containsExactly(OPENED);
        assertThat(sessions.list("guest", 10)).containsExactly(OPENED);
    }

    /** The store, where writing an end (a session with its close) waits until released. */
    private static ActivationStore endsWaitFor(Store store, CountDownLatch writing, CountDownLatch release) {
        return (ActivationStore) Proxy.newProxyInstance(ActivationStore.class.getClassLoader(),
                new Class<?>[] {ActivationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putDebugSession") && ((DebugSession) args[0]).closed().isPresent()) {
                        writing.countDown();
                        release.await();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
