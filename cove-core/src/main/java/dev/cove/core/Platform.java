package dev.cove.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.bus.LocalBus;
import dev.cove.core.cache.CacheGateway;
import dev.cove.core.debug.DebugSessions;
import dev.cove.core.invoke.ActivationLog;
import dev.cove.core.invoke.AsyncInvocations;
import dev.cove.core.invoke.Dispatcher;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import dev.cove.core.model.Admission;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.DebugSession;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.ExecutionStarted;
import dev.cove.core.model.ForbiddenException;
import dev.cove.core.model.FunctionLoad;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InstanceCounts;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.LabelSelector;
import dev.cove.core.model.Messages;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.Rule;
import dev.cove.core.model.RuleSpec;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.model.TopicMessage;
import dev.cove.core.model.Trigger;
import dev.cove.core.model.TriggerFailure;
import dev.cove.core.model.TriggerFire;
import dev.cove.core.model.TriggerSpec;
import dev.cove.core.registry.Registry;
import dev.cove.core.runtime.Runtimes;
import dev.cove.core.sandbox.Unconfined;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.Deadlines;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.MessageBus;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxProvider;
import dev.cove.core.spi.Store;
import dev.cove.core.spi.WorkerTransport;
import dev.cove.core.trigger.Triggers;
import dev.cove.core.workflow.Executions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's platform: the registry over its store, the runtimes, the dispatcher and the activation
 * log, wired together. The HTTP server is its only user; everything a request can do is a method here.
 */
public final class Platform implements Node {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(20);
    private static final int MAX_RECORD_BACKLOG = 200_000;

    private final Store store;
    private final Registry registry;
    private final Runtimes runtimes;
    private final ActivationLog activationLog;
    private final Deadlines deadlines;
    private final Dispatcher dispatcher;
    private final AsyncInvocations async;
    private final Executions executions;
    private final CacheGateway cache;
    private final PrometheusMeterRegistry metrics;
    private final AtomicReference<String> apiHost;
    private final Triggers triggers;
    private final DebugSessions debugSessions;

    private final long workerMemoryMb;

    private Platform(Store store, Registry registry, Runtimes runtimes, ActivationLog activationLog,
            Deadlines deadlines, Dispatcher dispatcher, AsyncInvocations async, Executions executions,
            CacheGateway cache, PrometheusMeterRegistry metrics, AtomicReference<String> apiHost, Triggers triggers,
            long workerMemoryMb) {
        this.store = store;
        this.registry = registry;
        this.runtimes = runtimes;
        this.activationLog = activationLog;
        this.deadlines = deadlines;
        this.dispatcher = dispatcher;
        this.async = async;
        this.executions = executions;
        this.cache = cache;
        this.metrics = metrics;
        this.apiHost = apiHost;
        this.triggers = triggers;
        this.debugSessions = DebugSessions.create(store);
        this.workerMemoryMb = workerMemoryMb;
    }

    /**
     * What a platform runs on: everything it does not do itself. The platform takes each over and closes
     * it when it closes (if it fails to start, the caller closes them).
     *
     * @param store where functions, applications and activations are kept
     * @param cache the functions' cache's backend
     * @param inline runs Java functions inline; {@link InlineTier#unavailable(String)} for none
     * @param sandboxes what node and python functions run in, unless the config says they run unconfined
     * @param workers how worker processes connect to the platform
     * @param deadlines times activations out
     * @param topics the durable bus topics' messages go through (NATS), or none: then each message fires
     *     its triggers in this process before its publisher hears back
     */
    public record Adapters(Store store, CacheBackend cache, InlineTier inline, SandboxProvider sandboxes,
            WorkerTransport workers, Deadlines deadlines, Optional<MessageBus> topics) {}

    /** Starts the runtimes over the adapters; blocks until the stem cells are being started. */
    public static Platform start(Node.Config config, Adapters adapters) throws IOException {
        Clock clock = Clock.systemUTC();
        AtomicReference<String> apiHost = new AtomicReference<>("");
        Files.createDirectories(config.dataDir());
        Store store = adapters.store();
        Deadlines deadlines = adapters.deadlines();
        Registry registry = Registry.load(store, clock);
        Runtimes runtimes;
        try {
            runtimes = Runtimes.start(adapters.workers(), new Runtimes.Options(config.dataDir(),
                    config.stemCellsPerRuntime(), config.maxPayloadBytes(), config.maxLogBytes(),
                    config.sandboxed() ? adapters.sandboxes() : Unconfined.provider(), config.packageSources()),
                    adapters.inline());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ActivationLog log = ActivationLog.start(store, clock, FLUSH_INTERVAL, MAX_RECORD_BACKLOG, config.retention());
        Dispatcher dispatcher = Dispatcher.create(runtimes, log, deadlines, clock,
                new Dispatcher.Settings(config.maxQueuePerFunction(), config.maxLogBytes(), config.maxPayloadBytes(),
                        config.scaling(), config.debugging()), metrics);
        AsyncInvocations async = AsyncInvocations.start(store, dispatcher, clock);
        CacheGateway cache = CacheGateway.create(adapters.cache(), metrics);
        Triggers triggers = Triggers.start(store, registry, new Triggers.Firing() {
            @Override
            public String newActivationId() {
                return dispatcher.newActivationId();
            }

            @Override
            public CompletableFuture<Admission> submit(String causeId, FunctionRevision function, ObjectNode params) {
                return async.submitFrom(causeId, function, params);
            }

            @Override
            public void record(ActivationRecord record) {
                log.add(record);
            }
        }, clock, deadlines);
        adapters.topics().ifPresent(triggers::carryTopicsOn);
        runtimes.connect(LocalBus.create(registry, dispatcher, async, apiHost::get, triggers), cache);
        int recovered = async.recover(registry::function);
        if (recovered > 0) {
            LOG.info("running {} invocations accepted before the last stop", recovered);
        }
        registry.functions().forEach(dispatcher::provision); // those with minInstances, as at their deployment
        Executions executions = Executions.create(store, registry, dispatcher, deadlines, clock);
        int restarted = executions.recover();
        if (restarted > 0) {
            LOG.info("started again {} workflow executions that were running at the last stop", restarted);
        }
        return new Platform(store, registry, runtimes, log, deadlines, dispatcher, async, executions, cache, metrics,
                apiHost, triggers, config.scaling().workerMemoryMb());
    }

    @Override
    public void apiHost(String serverAddress) {
        apiHost.set(runtimes.apiHost(serverAddress));
    }

    @Override
    public Path apiSocket() {
        return runtimes.apiSocket();
    }

    @Override
    public Namespace guest() {
        return registry.guest();
    }

    @Override
    public Optional<Namespace> authenticate(String uuid, String key) {
        return registry.authenticate(uuid, key);
    }

    @Override
    public FunctionRevision deploy(String namespace, FunctionSpec spec) throws InvalidFunctionException {
        fitsWorkerMemory(spec);
        if (spec.kind() == Kind.SEQUENCE) {
            spec = registry.checkedSequence(namespace, spec);
        }
        Runtimes.StagedCode staged = runtimes.stage(namespace, spec);
        FunctionRevision revision;
        try {
            revision = registry.deploy(namespace, spec.withMain(staged.main()));
        } catch (RuntimeException e) {
            runtimes.discard(staged);
            throw e;
        }
        runtimes.install(staged, revision);
        dispatcher.retire(namespace, spec.name());
        dispatcher.provision(revision);
        return revision;
    }

    @Override
    public ApplicationRevision deploy(String namespace, ApplicationSpec application) throws InvalidFunctionException {
        if (application.workflow().isPresent()) {
            Executions.check(application.workflow().get(), application.functionNames());
        }
        for (FunctionSpec spec : application.functions()) {
            if (spec.kind() == Kind.SEQUENCE) {
                throw new InvalidFunctionException(Messages.sequenceInApplication(spec.name()));
            }
            fitsWorkerMemory(spec);
        }
        List<FunctionSpec> checked = new ArrayList<>();
        List<Runtimes.StagedCode> staged = new ArrayList<>();
        Registry.Deployed deployed;
        try (Runtimes.Staging staging = runtimes.staging()) {
            for (FunctionSpec spec : application.functions()) {
                Runtimes.StagedCode code = stage(staging, namespace, spec);
                staged.add(code);
                checked.add(spec.withMain(code.main()));
            }
            deployed = registry.deploy(namespace, new ApplicationSpec(application.name(), checked, application.workflow()));
        } catch (InvalidFunctionException | RuntimeException e) {
            staged.forEach(runtimes::discard);
            throw e;
        }
        for (int i = 0; i < staged.size(); i++) {
            FunctionRevision revision = deployed.application().function(checked.get(i).name()).orElseThrow();
            runtimes.install(staged.get(i), revision);
            dispatcher.retire(namespace, revision.name());
            dispatcher.provision(revision);
        }
        deployed.removedFunctions().forEach(name -> {
            dispatcher.retire(namespace, name);
            runtimes.forget(namespace, name);
        });
        return deployed.application();
    }

    /** A function whose one instance would pass the node's worker memory could never run. */
    private void fitsWorkerMemory(FunctionSpec spec) throws InvalidFunctionException {
        if (spec.limits().memoryMb() > workerMemoryMb) {
            throw new InvalidFunctionException(Messages.overWorkerMemory(spec.name(), spec.limits().memoryMb(),
                    workerMemoryMb));
        }
    }

    private static Runtimes.StagedCode stage(Runtimes.Staging staging, String namespace, FunctionSpec spec)
            throws InvalidFunctionException {
        try {
            return staging.stage(namespace, spec);
        } catch (InvalidFunctionException e) {
            throw new InvalidFunctionException(Messages.ofFunction(spec.name(), e.getMessage()));
        }
    }

    @Override
    public Optional<ApplicationRevision> application(String namespace, String name) {
        return registry.application(namespace, name);
    }

    @Override
    public List<ApplicationRevision> applications(String namespace) {
        return registry.applications(namespace);
    }

    @Override
    public Optional<ApplicationRevision> deleteApplication(String namespace, String name) {
        Optional<ApplicationRevision> removed = registry.deleteApplication(namespace, name);
        removed.ifPresent(app -> app.functions().forEach(f -> {
            dispatcher.retire(namespace, f.name());
            runtimes.forget(namespace, f.name());
        }));
        return removed;
    }

    @Override
    public Optional<FunctionRevision> function(String namespace, String name) {
        return registry.function(namespace, name);
    }

    @Override
    public Optional<TierVerdict> tierOf(FunctionRevision revision) {
        return runtimes.tierOf(revision);
    }

    @Override
    public List<FunctionRevision> functions(String namespace) {
        return registry.functions(namespace);
    }

    @Override
    public InstanceCounts instances(String namespace, String name) {
        return dispatcher.instances(namespace, name);
    }

    @Override
    public Admission replay(String namespace, String activationId, boolean latest, boolean keep) {
        return dispatcher.replay(namespace, activationId, latest, keep, name -> registry.function(namespace, name));
    }

    @Override
    public void requireDebuggable(String namespace, DebugTarget target) {
        dispatcher.functionOf(namespace, target).flatMap(name -> registry.function(namespace, name))
                .filter(function -> !function.spec().limits().debug())
                .ifPresent(function -> {
                    throw new ForbiddenException(Messages.debugOff(function.name()));
                });
        dispatcher.requireDebuggable(namespace, target);
    }

    @Override
    public void debugSessionOpened(DebugSession session) {
        debugSessions.opened(session);
    }

    @Override
    public void debugSessionEnded(DebugSession session) {
        debugSessions.ended(session);
    }

    @Override
    public List<DebugSession> debugSessions(String namespace, int limit) {
        return debugSessions.list(namespace, limit);
    }

    @Override
    public Shell debug(String namespace, DebugTarget target, int rows, int columns, Consumer<byte[]> output)
            throws IOException {
        requireDebuggable(namespace, target);
        Sandbox.Terminal terminal = dispatcher.debugTerminal(namespace, target, rows, columns, output)
                .orElseThrow(() -> new IOException(Messages.NO_DEBUG_SHELL));
        return new Shell() {
            @Override
            public void type(byte[] keys) throws IOException {
                terminal.type(keys);
            }

            @Override
            public void resize(int rows, int columns) throws IOException {
                terminal.resize(rows, columns);
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return terminal.exit();
            }

            @Override
            public void close() {
                terminal.kill();
            }
        };
    }

    @Override
    public List<FunctionLoad> load(String namespace) {
        return dispatcher.load(namespace);
    }

    @Override
    public Optional<FunctionRevision> delete(String namespace, String name) {
        Optional<FunctionRevision> removed = registry.delete(namespace, name);
        if (removed.isPresent()) {
            dispatcher.retire(namespace, name);
            runtimes.forget(namespace, name);
        }
        return removed;
    }

    @Override
    public Admission invoke(FunctionRevision revision, ObjectNode params) {
        return dispatcher.invoke(revision, params);
    }

    @Override
    public CompletableFuture<Admission> invokeAsync(FunctionRevision revision, ObjectNode params) {
        return async.submit(revision, params);
    }

    @Override
    public Optional<ActivationRecord> activation(String namespace, String activationId) {
        return activationLog.activation(namespace, activationId);
    }

    @Override
    public List<ActivationRecord> activations(ActivationQuery query) {
        return activationLog.activations(query);
    }

    @Override
    public Optional<ExecutionStarted> startWorkflow(String namespace, String application, JsonNode input,
            boolean blocking) {
        Optional<ApplicationRevision> app = registry.application(namespace, application);
        if (app.isPresent() && app.get().workflow().isEmpty()) {
            throw new IllegalArgumentException(Messages.noWorkflow(application));
        }
        return app.map(a -> executions.start(a, input, !blocking));
    }

    @Override
    public Optional<ObjectNode> execution(String namespace, String executionId) {
        return executions.execution(namespace, executionId);
    }

    @Override
    public List<ObjectNode> executions(String namespace, int limit) {
        return executions.executions(namespace, Optional.empty(), limit);
    }

    @Override
    public List<ObjectNode> executions(String namespace, String application, int limit) {
        return executions.executions(namespace, Optional.of(application), limit);
    }

    @Override
    public List<ObjectNode> cacheStats(String namespace) {
        return cache.stats(namespace);
    }

    @Override
    public Optional<List<ObjectNode>> cacheStats(String namespace, String function) {
        return registry.function(namespace, function).map(cache::stats);
    }

    @Override
    public boolean clearCache(String namespace, String function, boolean application) {
        Optional<FunctionRevision> found = registry.function(namespace, function);
        found.ifPresent(f -> cache.clear(f, application));
        return found.isPresent();
    }

    @Override
    public String cacheDescription() {
        return cache.describe();
    }

    @Override
    public List<ActivationRecord> chain(String namespace, String activationId) {
        return activationLog.chain(namespace, activationId, MAX_CHAIN);
    }

    @Override
    public Deadlines deadlines() {
        return deadlines;
    }

    @Override
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public List<String> runtimes() {
        return runtimes.available();
    }

    @Override
    public List<String> unavailableRuntimes() {
        return runtimes.unavailable();
    }

    @Override
    public String isolation() {
        return runtimes.isolation();
    }

    @Override
    public boolean supports(Kind kind) {
        return runtimes.supports(kind);
    }

    @Override
    public Trigger putTrigger(String namespace, TriggerSpec spec, boolean overwrite) {
        return triggers.put(namespace, spec, overwrite);
    }

    @Override
    public Optional<Trigger> trigger(String namespace, String name) {
        return triggers.trigger(namespace, name);
    }

    @Override
    public List<Trigger> triggers(String namespace) {
        return triggers.triggers(namespace);
    }

    @Override
    public Optional<Trigger> httpTrigger(String path) {
        return triggers.httpTrigger(path);
    }

    @Override
    public Optional<Instant> nextFire(String namespace, String trigger) {
        return triggers.nextFire(namespace, trigger);
    }

    @Override
    public Optional<Trigger> deleteTrigger(String namespace, String name) {
        return triggers.delete(namespace, name);
    }

    @Override
    public CompletableFuture<TriggerFire> fire(String namespace, String trigger, ObjectNode payload) {
        return triggers.fire(namespace, trigger, payload);
    }

    @Override
    public CompletableFuture<TopicMessage> publish(String namespace, String topic, ObjectNode message, String eventId) {
        return triggers.publish(namespace, topic, message, eventId);
    }

    @Override
    public Rule putRule(String namespace, RuleSpec spec, boolean overwrite) {
        return triggers.putRule(namespace, spec, overwrite);
    }

    @Override
    public List<FunctionRevision> matching(String namespace, LabelSelector selector) {
        return triggers.matching(namespace, selector);
    }

    @Override
    public Optional<Rule> setRuleActive(String namespace, String name, boolean active) {
        return triggers.setActive(namespace, name, active);
    }

    @Override
    public Optional<Rule> rule(String namespace, String name) {
        return triggers.rule(namespace, name);
    }

    @Override
    public List<Rule> rules(String namespace) {
        return triggers.rules(namespace);
    }

    @Override
    public List<Rule> rulesOf(String namespace, String trigger) {
        return triggers.rulesOf(namespace, trigger);
    }

    @Override
    public Optional<Rule> deleteRule(String namespace, String name) {
        return triggers.deleteRule(namespace, name);
    }

    @Override
    public List<TriggerFailure> failures(String namespace, String trigger) {
        return triggers.failures(namespace, trigger);
    }

    @Override
    public CompletableFuture<Admission> redeliver(String namespace, String trigger, String failureId) {
        return triggers.redeliver(namespace, trigger, failureId);
    }

    @Override
    public void close() {
        debugSessions.close(); // first: the shells this close ends stay without a close, as after a kill
        triggers.close();
        executions.close();
        async.close();
        dispatcher.close(async.unfinished());
        cache.close();
        deadlines.close();
        runtimes.close();
        activationLog.close();
        store.close();
    }
}
