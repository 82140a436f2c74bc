package dev.cove.core.registry;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployed functions and the namespaces, read from memory and written through to the {@link Store}.
 * Reads never block (the invocation path looks functions up here); writes block until the store has
 * them on disk.
 */
public final class Registry {
    public static final String GUEST = "guest";

    private final Store store;
    private final Clock clock;
    private final Map<String, FunctionRevision> functions = new ConcurrentHashMap<>();
    private final Map<String, Namespace> namespacesByUuid = new ConcurrentHashMap<>();

    private Registry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads everything from the store, creating the guest namespace with fresh credentials on first use. */
    public static Registry load(Store store, Clock clock) {
        Registry registry = new Registry(store, clock);
        if (store.namespace(GUEST).isEmpty()) {
            store.putNamespace(new Namespace(GUEST, UUID.randomUUID().toString(), randomKey()));
        }
        store.namespaces().forEach(n -> registry.namespacesByUuid.put(n.uuid(), n));
        store.functions().forEach(f -> registry.functions.put(key(f.namespace(), f.name()), f));
        return registry;
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Namespace guest() {
        return store.namespace(GUEST).orElseThrow();
    }

    /** The namespace these credentials act in, if they are right. Compares keys in constant time. */
    public Optional<Namespace> authenticate(String uuid, String key) {
        Namespace n = namespacesByUuid.get(uuid);
        if (n == null || !MessageDigest.isEqual(n.key().getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** Stores a new version of the function; durable on return. */
    public FunctionRevision deploy(String namespace, FunctionSpec spec) {
        FunctionRevision revision = store.putFunction(namespace, spec, clock.instant());
        functions.put(key(namespace, spec.name()), revision);
        return revision;
    }

    public Optional<FunctionRevision> function(String namespace, String name) {
        return Optional.ofNullable(functions.get(key(namespace, name)));
    }

    /** The namespace's functions by name. */
    public List<FunctionRevision> functions(String namespace) {
        return functions.values().stream().filter(f -> f.namespace().equals(namespace))
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public Optional<FunctionRevision> delete(String namespace, String name) {
        Optional<FunctionRevision> removed = store.deleteFunction(namespace, name);
        functions.remove(key(namespace, name));
        return removed;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
