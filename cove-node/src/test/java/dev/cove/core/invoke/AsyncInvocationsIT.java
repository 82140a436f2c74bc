package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.cache.CacheCalls;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.Admission;
import dev.cove.core.model.Code;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.QueuedInvocation;
import dev.cove.core.model.Scaling;
import dev.cove.core.registry.Registry;
import dev.cove.core.runtime.Calls;
import dev.cove.core.runtime.Runtimes;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Store;
import dev.cove.transport.vertx.VertxTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invocations accepted without waiting, run by a real node worker, against a store whose group commit
 * of records is held back: the moment a {@code kill -9} would meet, made to last.
 */
class AsyncInvocationsIT {
    private static final long WAIT_S = 20;
    private static final FunctionRevision ECHO = new FunctionRevision("guest", FunctionSpec.of("echo", Kind.NODEJS,
            Code.source("function main(p) { return p; }"), "main"), 1, Instant.now(), "echo");

    @TempDir
    Path dir;
    private final CountDownLatch commit = new CountDownLatch(1);
    private final Store store = new DelegatingStore(Registry.memoryStore()) {
        @Override
        public void putActivations(List<ActivationRecord> records) {
            try {
                commit.await();
            } catch (InterruptedException e) {
                throw new StoreException("interrupted", e);
            }
            super.putActivations(records);
        }
    };
    private Vertx vertx;
    private Runtimes runtimes;
    private ActivationLog log;
    private Dispatcher dispatcher;
    private AsyncInvocations async;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        runtimes = Runtimes.start(VertxTransport.workers(vertx), new Runtimes.Options(dir, 1, 1 << 20, 1 << 20, Unconfined.provider(), PackageSources.DEFAULT),
                InlineTier.unavailable("no test here runs Java inline"));
        runtimes.connect(Calls.NONE, CacheCalls.NONE);
        log = ActivationLog.start(store, Clock.systemUTC(), Duration.ofMillis(1), 1000, ActivationLogTest.FOREVER);
        dispatcher = Dispatcher.create(runtimes, log, VertxTransport.deadlines(), Clock.systemUTC(),
                new Dispatcher.Settings(100, 1 << 20, 1 << 20, Scaling.of(1 << 20), Debugging.DEFAULT), new SimpleMeterRegistry());
        async = AsyncInvocations.start(store, dispatcher, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        commit.countDown();
        async.close();
        dispatcher.close();
        log.close();
        runtimes.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
    }

    private Admission.Accepted submit(int n) throws Exception {
        Admission admission = async.submit(ECHO, JsonNodeFactory.instance.objectNode().put("n", n))
                .get(WAIT_S, TimeUnit.SECONDS);
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        return (Admission.Accepted) admission;
    }

    private List<String> queuedIds() {
        return store.queued().stream().map(QueuedInvocation::activationId).toList();
    }

    @Test
    void anEndedInvocationStaysQueuedUntilItsRecordIsCommittedAndLeavesWithIt() throws Exception {
        Admission.Accepted ended = submit(1);
        assertThat(ended.completion().get(WAIT_S, TimeUnit.SECONDS).status()).isEqualTo(ActivationStatus.SUCCESS);
        submit(2);
        submit(3); // two more rounds of the queue's writer, which stored ended ones' removals on their own

        assertThat(queuedIds()).as("an invocation whose record is not committed: a crash now must not lose it")
                .contains(ended.activationId());

        commit.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (store.activation("guest", ended.activationId()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(store.activation("guest", ended.activationId())).isPresent();
        assertThat(queuedIds()).as("an invocation whose record is committed: a restart must not run it again")
                .doesNotContain(ended.activationId());
    }
}
