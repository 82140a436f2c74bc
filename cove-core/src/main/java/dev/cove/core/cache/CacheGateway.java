package dev.cove.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.CacheRefusedException;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.CacheStats;
import dev.cove.core.spi.CacheUnavailableException;
import dev.cove.core.spi.CacheWatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions' side of the cache: a {@code cache} frame's fields (docs/worker-protocol.md) in, the
 * {@code cached} frame's fields out. The scope comes from the function that asks, never from the
 * frame: a function names only its key and whether it means its own entries or its application's.
 *
 * <p>Values are stored as their JSON text (UTF-8), or as a 0 byte followed by the raw bytes for a bytes
 * value: JSON text never starts with a 0 byte, and an integer {@link CacheBackend#increment} writes is
 * JSON too. A backend that blocks ({@link CacheBackend#blocking}, Redis) is called on virtual threads;
 * the embedded one on the caller's thread, which is an event loop: a Caffeine operation takes
 * microseconds.
 *
 * <p><b>Copies.</b> While the backend tells of every change ({@link CacheBackend#watching}), a get answered
 * to someone who keeps copies ({@link CacheCopies}, a worker) says how long the copy may live, and
 * the gateway tells each keeper of every later change to the scopes it read (docs/worker-protocol.md,
 * "uncache"). A keeper is counted in before the entry is read, so a change that the read did not see
 * is always told of; when the backend may have missed changes ({@link CacheWatcher#allChanged}),
 * every keeper is told that every scope it read changed.
 */
public final class CacheGateway implements CacheCalls, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte BYTES = 0;

    private final CacheBackend cache;
    private final Optional<Executor> blocking;
    private final MeterRegistry metrics;
    private final Set<CacheScope> metered = ConcurrentHashMap.newKeySet();
    /** Who keeps copies of each scope's entries, and which scopes each keeper read. */
    private final Map<CacheScope, Set<CacheCopies>> keepers = new ConcurrentHashMap<>();
    private final Map<CacheCopies, Set<CacheScope>> kept = new ConcurrentHashMap<>();
    /** How many times the backend said that any entry may have changed: a get that spans one grants no copy. */
    private final AtomicLong allChanged = new AtomicLong();

    private CacheGateway(CacheBackend cache, MeterRegistry metrics) {
        this.cache = cache;
        this.blocking = cache.blocking() ? Optional.of(Executors.newVirtualThreadPerTaskExecutor()) : Optional.empty();
        this.metrics = metrics;
        cache.watch(new CacheWatcher() {
            @Override
            public void changed(CacheScope scope, String key) {
                tell(scope, copies -> copies.changed(scope, Optional.of(key)));
            }

            @Override
            public void cleared(CacheScope scope) {
                tell(scope, copies -> copies.changed(scope, Optional.empty()));
            }

            @Override
            public void allChanged() {
                allChanged.incrementAndGet();
                keepers.keySet().forEach(this::cleared);
            }
        });
    }

    /**
     * The functions' side of the backend, which it watches from now on and closes with the gateway. A
     * backend that blocks is called on virtual threads, the embedded one on the caller's thread.
     */
    public static CacheGateway create(CacheBackend backend, MeterRegistry metrics) {
        return new CacheGateway(backend, metrics);
    }

    /** The in-process backend (Caffeine): nothing to install; entries live as long as this JVM. */
    public static CacheBackend embeddedBackend(CacheSettings settings) {
        return embeddedBackend(settings, Ticker.systemTicker());
    }

    /** The in-process backend on the ticker's time (a test's, which it moves by hand). */
    public static CacheBackend embeddedBackend(CacheSettings settings, Ticker ticker) {
        return new EmbeddedCache(settings, ticker);
    }

    public String describe() {
        return cache.describe();
    }

    /** Answers one cache frame of the function's, from someone who keeps copies of what it gets, or not. */
    @Override
    public CompletableFuture<ObjectNode> handle(FunctionRevision function, ObjectNode request,
            Optional<CacheCopies> copies) {
        if (blocking.isEmpty()) {
            return CompletableFuture.completedFuture(answer(function, request, copies));
        }
        return CompletableFuture.supplyAsync(() -> answer(function, request, copies), blocking.get());
    }

    /** The keeper keeps nothing from now on (a worker that ended): it is told of no more changes. */
    @Override
    public void forget(CacheCopies copies) {
        Set<CacheScope> scopes = kept.remove(copies);
        if (scopes != null) {
            scopes.forEach(scope -> keepers.computeIfPresent(scope, (s, set) -> {
                set.remove(copies);
                return set.isEmpty() ? null : set;
            }));
        }
    }

    /** Counts gets of the function's that copies answered, in its own scope and its application's. */
    @Override
    public void countHits(FunctionRevision function, long functionHits, long appHits) {
        if (functionHits > 0) {
            cache.countHits(scopeOf(function, "function"), functionHits);
        }
        if (appHits > 0) {
            cache.countHits(scopeOf(function, "app"), appHits);
        }
    }

    private void tell(CacheScope scope, Consumer<CacheCopies> change) {
        Set<CacheCopies> told = keepers.get(scope);
        if (told != null) {
            told.forEach(change);
        }
    }

    private void keep(CacheScope scope, CacheCopies copies) {
        kept.computeIfAbsent(copies, c -> ConcurrentHashMap.newKeySet()).add(scope);
        keepers.compute(scope, (s, set) -> {
            Set<CacheCopies> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(copies);
            return out;
        });
    }

    private ObjectNode answer(FunctionRevision function, JsonNode request, Optional<CacheCopies> copies) {
        try {
            CacheScope scope = scopeOf(function, request.path("scope").asText("function"));
            meter(scope);
            String key = request.path("key").asText("");
            return switch (request.path("op").asText("")) {
                case "get" -> get(scope, key, copies);
                case "set" -> {
                    cache.set(scope, key, encode(request), ttl(request));
                    yield JSON.createObjectNode().put("ok", true);
                }
                case "setIfAbsent" -> JSON.createObjectNode().put("written",
                        cache.setIfAbsent(scope, key, encode(request), ttl(request)));
                case "delete" -> JSON.createObjectNode().put("deleted", cache.delete(scope, key));
                case "increment" -> JSON.createObjectNode().put("value",
                        cache.increment(scope, key, request.path("by").asLong(1), ttl(request)));
                default -> error("Unknown cache operation '" + request.path("op").asText() + "'.");
            };
        } catch (CacheRefusedException e) {
            return error(e.getMessage());
        } catch (CacheUnavailableException e) {
            LOG.warn("the cache failed: {}", e.getMessage());
            return error("The cache is unavailable just now.");
        }
    }

    /**
     * A keeper is counted in before the entry is read, and told how long its copy may live only if the
     * backend heard of every change all the while: a change it missed can't have been told.
     */
    private ObjectNode get(CacheScope scope, String key, Optional<CacheCopies> copies) {
        long before = allChanged.get();
        copies.ifPresent(c -> keep(scope, c));
        Optional<CacheBackend.Entry> found = cache.getEntry(scope, key);
        ObjectNode out = JSON.createObjectNode().put("found", found.isPresent());
        found.ifPresent(entry -> {
            // a millisecond short of the entry's end: the copy's time counts from the answer's arrival
            long keepMs = entry.timeToLive().toMillis() - 1;
            if (copies.isPresent() && keepMs > 0 && cache.watching() && allChanged.get() == before) {
                out.put("keepMs", keepMs);
            }
            byte[] bytes = entry.value();
            if (bytes.length > 0 && bytes[0] == BYTES) {
                out.put("bytes", Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, 1, bytes.length)));
            } else {
                out.set("value", decode(bytes));
            }
        });
        return out;
    }

    static CacheScope scopeOf(FunctionRevision function, String scope) {
        return switch (scope) {
            case "app" -> CacheScope.application(function.namespace(), function.application());
            case "function" -> CacheScope.function(function.namespace(), function.application(), function.name());
            default -> throw new CacheRefusedException("A cache scope is function or app, was '" + scope + "'.");
        };
    }

    private static byte[] encode(JsonNode request) {
        if (request.has("bytes")) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(request.path("bytes").asText());
            } catch (IllegalArgumentException e) {
                throw new CacheRefusedException("The bytes to store are not valid base64.");
            }
            byte[] out = new byte[raw.length + 1];
            System.arraycopy(raw, 0, out, 1, raw.length);
            return out;
        }
        if (!request.has("value")) {
            throw new CacheRefusedException("A value to store is needed.");
        }
        return request.path("value").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode decode(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(json, StandardCharsets.UTF_8));
        }
    }

    /** The TTL the function named, else the backend's default. */
    private Duration ttl(JsonNode request) {
        JsonNode ms = request.path("ttlMs");
        return ms.isNumber() ? Duration.ofMillis(ms.asLong()) : cache.settings().defaultTtl();
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    /** The stats of the namespace's scopes. */
    public List<ObjectNode> stats(String namespace) {
        return stats(cache.scopes(namespace));
    }

    /** The stats of the function's scope and its application's. */
    public List<ObjectNode> stats(FunctionRevision function) {
        return stats(List.of(scopeOf(function, "function"), scopeOf(function, "app")));
    }

    private List<ObjectNode> stats(List<CacheScope> scopes) {
        return scopes.stream().map(scope -> {
            CacheStats s = cache.stats(scope);
            ObjectNode out = JSON.createObjectNode().put("application", scope.application());
            scope.function().ifPresent(f -> out.put("function", f));
            return out.put("hits", s.hits()).put("misses", s.misses()).put("evictions", s.evictions())
                    .put("entries", s.entries()).put("bytes", s.bytes());
        }).toList();
    }

    /** Removes the function's entries, or with {@code application} its application's shared ones. */
    public void clear(FunctionRevision function, boolean application) {
        cache.clear(scopeOf(function, application ? "app" : "function"));
    }

    /** Each scope's counters on the metrics endpoint, registered when the scope is first used. */
    private void meter(CacheScope scope) {
        if (!metered.add(scope)) {
            return;
        }
        String[] tags = {"namespace", scope.namespace(), "application", scope.application(),
            "function", scope.function().orElse("")};
        FunctionCounter.builder("cove.cache.hits", scope, s -> cache.stats(s).hits()).tags(tags).register(metrics);
        FunctionCounter.builder("cove.cache.misses", scope, s -> cache.stats(s).misses()).tags(tags).register(metrics);
        FunctionCounter.builder("cove.cache.evictions", scope, s -> cache.stats(s).evictions()).tags(tags).register(metrics);
        Gauge.builder("cove.cache.entries", scope, s -> cache.stats(s).entries()).tags(tags).register(metrics);
        Gauge.builder("cove.cache.bytes", scope, s -> cache.stats(s).bytes()).tags(tags).baseUnit("bytes")
                .register(metrics);
    }

    @Override
    public void close() {
        cache.close();
    }
}
