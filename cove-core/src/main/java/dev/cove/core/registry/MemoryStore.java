package dev.cove.core.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A store in the heap, guarded by one lock. */
final class MemoryStore implements Store {
    private static final Comparator<ActivationRecord> NEWEST_FIRST = Comparator
            .comparingLong(ActivationRecord::startMillis).thenComparing(ActivationRecord::activationId).reversed();

    private final Map<String, Namespace> namespaces = new TreeMap<>();
    private final Map<String, FunctionRevision> functions = new TreeMap<>();
    private final Map<String, ActivationRecord> activations = new HashMap<>();

    @Override
    public synchronized Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    @Override
    public synchronized List<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    @Override
    public synchronized void putNamespace(Namespace namespace) {
        namespaces.put(namespace.name(), namespace);
    }

    @Override
    public synchronized FunctionRevision putFunction(String namespace, FunctionSpec spec, Instant updated) {
        String key = key(namespace, spec.name());
        int version = Optional.ofNullable(functions.get(key)).map(FunctionRevision::version).orElse(0) + 1;
        FunctionRevision revision =
                new FunctionRevision(namespace, spec, version, Instant.ofEpochMilli(updated.toEpochMilli()));
        functions.put(key, revision);
        return revision;
    }

    @Override
    public synchronized Optional<FunctionRevision> function(String namespace, String name) {
        return Optional.ofNullable(functions.get(key(namespace, name)));
    }

    @Override
    public synchronized List<FunctionRevision> functions() {
        return List.copyOf(functions.values());
    }

    @Override
    public synchronized Optional<FunctionRevision> deleteFunction(String namespace, String name) {
        return Optional.ofNullable(functions.remove(key(namespace, name)));
    }

    @Override
    public synchronized void putActivations(List<ActivationRecord> records) {
        records.forEach(r -> activations.put(r.activationId(), r));
    }

    @Override
    public synchronized Optional<ActivationRecord> activation(String namespace, String activationId) {
        return Optional.ofNullable(activations.get(activationId)).filter(r -> r.namespace().equals(namespace));
    }

    @Override
    public synchronized List<ActivationRecord> activations(ActivationQuery q) {
        List<ActivationRecord> matching = new ArrayList<>();
        for (ActivationRecord r : activations.values()) {
            if (r.namespace().equals(q.namespace())
                    && q.name().map(r.name()::equals).orElse(true)
                    && q.sinceMillis().map(s -> r.startMillis() >= s).orElse(true)
                    && q.uptoMillis().map(u -> r.startMillis() <= u).orElse(true)) {
                matching.add(r);
            }
        }
        return matching.stream().sorted(NEWEST_FIRST).skip(q.skip()).limit(q.limit()).toList();
    }

    @Override
    public synchronized int deleteActivationsStartedBefore(long epochMillis) {
        int before = activations.size();
        activations.values().removeIf(r -> r.startMillis() < epochMillis);
        return before - activations.size();
    }

    @Override
    public void close() {}

    private static String key(String namespace, String name) {
        // '\n' can't appear in either part, so the pair maps to one key only
        return namespace + "\n" + name;
    }
}
