package dev.cove.core.invoke;

import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** The dispatcher's meters. Per-function meters are looked up once per pool, not per activation. */
final class DispatchMetrics {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60)
    };

    private final MeterRegistry registry;
    private final Map<Kind, Counter> coldStarts = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> warm = new EnumMap<>(Kind.class);
    private final Map<Kind, Timer> startTimes = new EnumMap<>(Kind.class);

    DispatchMetrics(MeterRegistry registry, ToIntFunction<Kind> stemCells, IntSupplier kept) {
        this.registry = registry;
        Gauge.builder("cove.debug.kept", kept::getAsInt)
                .description("Instances of failed activations kept, with their sandboxes, for debugging").register(registry);
        for (Kind kind : Kind.values()) {
            String runtime = kind.kindName();
            coldStarts.put(kind, Counter.builder("cove.cold.starts").description("Instances started")
                    .tag("runtime", runtime).register(registry));
            AtomicInteger count = new AtomicInteger();
            warm.put(kind, count);
            Gauge.builder("cove.warm.instances", count, AtomicInteger::get).description("Started instances")
                    .tag("runtime", runtime).register(registry);
            startTimes.put(kind, Timer.builder("cove.cold.start").description("Time to start an instance")
                    .tag("runtime", runtime).serviceLevelObjectives(BUCKETS).register(registry));
            Gauge.builder("cove.stem.cells", () -> stemCells.applyAsInt(kind))
                    .description("Started workers waiting to be specialised").tag("runtime", runtime)
                    .register(registry);
        }
    }

    void coldStart(Kind kind) {
        coldStarts.get(kind).increment();
    }

    void warmInstances(Kind kind, int delta) {
        warm.get(kind).addAndGet(delta);
    }

    /** An instance started, in this long. */
    void started(Kind kind, Duration took) {
        startTimes.get(kind).record(took);
    }

    /**
     * The function's instances by state and the activations waiting for one, as {@code counts} gives
     * them whichever version runs: registered once per function, off the call path.
     */
    void instancesOf(String namespace, String function, Supplier<InstanceCounts> counts) {
        if (registry.find("cove.activator.queue.length").tags("namespace", namespace, "function", function).gauge() != null) {
            return; // a later version's: the gauges ask counts, which answers for it
        }
        Map<String, ToIntFunction<InstanceCounts>> states = Map.of("starting", InstanceCounts::starting,
                "busy", InstanceCounts::busy, "idle", InstanceCounts::idle, "paused", InstanceCounts::paused);
        states.forEach((state, count) -> Gauge.builder("cove.function.instances", () -> count.applyAsInt(counts.get()))
                .description("Instances of a function").tags("namespace", namespace, "function", function, "state", state)
                .register(registry));
        Gauge.builder("cove.activator.queue.length", () -> counts.get().waiting())
                .description("Activations waiting for an instance").tags("namespace", namespace, "function", function)
                .register(registry);
    }

    /** The meters of one function. */
    final class ForFunction {
        private final Map<ActivationStatus, Counter> invocations = new EnumMap<>(ActivationStatus.class);
        private final Timer duration;
        private final Timer wait;

        ForFunction(FunctionRevision revision) {
            String namespace = revision.namespace();
            String function = revision.name();
            for (ActivationStatus status : ActivationStatus.values()) {
                invocations.put(status, Counter.builder("cove.invocations").description("Activations ended")
                        .tags("namespace", namespace, "function", function, "status", status.metricName())
                        .register(registry));
            }
            duration = Timer.builder("cove.activation.duration").description("Time from start to end")
                    .tags("namespace", namespace, "function", function).serviceLevelObjectives(BUCKETS)
                    .register(registry);
            wait = Timer.builder("cove.activation.wait").description("Time waiting for an instance")
                    .tags("namespace", namespace, "function", function).serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }

        void ended(Activation activation) {
            invocations.get(activation.status()).increment();
            duration.record(activation.duration());
            wait.record(activation.waitTime());
        }
    }
}
