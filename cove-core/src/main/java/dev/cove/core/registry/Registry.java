package dev.cove.core.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.Code;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Messages;
import dev.cove.core.model.Namespace;
import dev.cove.core.spi.FunctionStore;
import dev.cove.core.spi.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployed functions and the namespaces, read from memory and written through to the {@link FunctionStore}.
 * Reads never block (the invocation path looks functions up here); writes block until the store has
 * them on disk.
 */
public final class Registry {

    private final FunctionStore store;
    private final Clock clock;
    private final Map<String, FunctionRevision> functions = new ConcurrentHashMap<>();
    private final Map<String, ApplicationRevision> applications = new ConcurrentHashMap<>();
    private final Map<String, Namespace> namespacesByUuid = new ConcurrentHashMap<>();

    private Registry(FunctionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A store that lives and dies with the process, for tests and throwaway servers. */
    public static Store memoryStore() {
        return new MemoryStore();
    }

    /** Loads everything from the store, creating the guest namespace with fresh credentials on first use. */
    public static Registry load(FunctionStore store, Clock clock) {
        Registry registry = new Registry(store, clock);
        if (store.namespace(Namespace.GUEST).isEmpty()) {
            store.putNamespace(new Namespace(Namespace.GUEST, UUID.randomUUID().toString(), randomKey()));
        }
        store.namespaces().forEach(n -> registry.namespacesByUuid.put(n.uuid(), n));
        store.functions().forEach(f -> registry.functions.put(key(f.namespace(), f.name()), f));
        store.applications().forEach(a -> registry.applications.put(key(a.namespace(), a.name()), a));
        return registry;
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Namespace guest() {
        return store.namespace(Namespace.GUEST).orElseThrow();
    }

    /** The namespace of this name, with its credentials. */
    public Optional<Namespace> namespace(String name) {
        return namespacesByUuid.values().stream().filter(n -> n.name().equals(name)).findFirst();
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

    /**
     * Stores a new version of the function; durable on return. A function of an application stays in
     * it.
     *
     * @throws ConflictException when an application outside which the function stands has its name
     */
    public synchronized FunctionRevision deploy(String namespace, FunctionSpec spec) {
        ApplicationRevision named = applications.get(key(namespace, spec.name()));
        if (named != null && named.function(spec.name()).isEmpty()) {
            throw new ConflictException(Messages.applicationHasTheName(spec.name()));
        }
        FunctionRevision revision = store.putFunction(namespace, spec, clock.instant());
        functions.put(key(namespace, spec.name()), revision);
        refreshApplication(namespace, revision.application());
        return revision;
    }

    /** What an application's deployment replaced. */
    public record Deployed(ApplicationRevision application, List<String> removedFunctions) {}

    /**
     * Stores a new version of the application with all its functions, or nothing; durable on return.
     *
     * @throws ConflictException when one of its functions belongs to another application, or a
     *     function outside it has its name
     */
    public synchronized Deployed deploy(String namespace, ApplicationSpec spec) {
        checkNames(namespace, spec);
        List<String> before = application(namespace, spec.name()).map(ApplicationRevision::functionNames)
                .orElse(List.of());
        ApplicationRevision app = store.putApplication(namespace, spec, clock.instant());
        before.forEach(name -> functions.remove(key(namespace, name)));
        app.functions().forEach(f -> functions.put(key(namespace, f.name()), f));
        applications.put(key(namespace, spec.name()), app);
        return new Deployed(app, before.stream().filter(name -> app.function(name).isEmpty()).toList());
    }

    private void checkNames(String namespace, ApplicationSpec spec) {
        FunctionRevision sameName = functions.get(key(namespace, spec.name()));
        if (sameName != null && !spec.functionNames().contains(spec.name()) && !isMember(namespace, sameName, spec.name())) {
            throw new ConflictException("A function named " + spec.name() + " exists outside the application; "
                    + "an application can't take its name.");
        }
        for (String name : spec.functionNames()) {
            FunctionRevision existing = functions.get(key(namespace, name));
            if (existing != null && applications.containsKey(key(namespace, existing.application()))
                    && !existing.application().equals(spec.name())) {
                throw new ConflictException(Messages.functionBelongsTo(name, existing.application()));
            }
        }
    }

    /** Whether the function belongs to that deployed application (not merely alone under its name). */
    private boolean isMember(String namespace, FunctionRevision f, String application) {
        return f.application().equals(application) && applications.containsKey(key(namespace, application));
    }

    private void refreshApplication(String namespace, String name) {
        applications.computeIfPresent(key(namespace, name), (k, app) -> store.application(namespace, name).orElse(app));
    }

    /** Applications deployed as such (not the functions deployed alone), by name. */
    public List<ApplicationRevision> applications(String namespace) {
        return applications.values().stream().filter(a -> a.namespace().equals(namespace))
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public Optional<ApplicationRevision> application(String namespace, String name) {
        return Optional.ofNullable(applications.get(key(namespace, name)));
    }

    /** Removes the application and all its functions. */
    public synchronized Optional<ApplicationRevision> deleteApplication(String namespace, String name) {
        Optional<ApplicationRevision> removed = store.deleteApplication(namespace, name);
        removed.ifPresent(app -> app.functions().forEach(f -> functions.remove(key(namespace, f.name()))));
        applications.remove(key(namespace, name));
        return removed;
    }

    public Optional<FunctionRevision> function(String namespace, String name) {
        return Optional.ofNullable(functions.get(key(namespace, name)));
    }

    /** Every namespace's functions, in no order. */
    public List<FunctionRevision> functions() {
        return List.copyOf(functions.values());
    }

    /** The namespace's functions by name. */
    public List<FunctionRevision> functions(String namespace) {
        return functions.values().stream().filter(f -> f.namespace().equals(namespace))
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public synchronized Optional<FunctionRevision> delete(String namespace, String name) {
        Optional<FunctionRevision> removed = store.deleteFunction(namespace, name);
        functions.remove(key(namespace, name));
        removed.ifPresent(f -> refreshApplication(namespace, f.application()));
        return removed;
    }

    /**
     * A sequence whose components are functions of its namespace, named without it, none of which
     * leads back to the sequence itself: the spec to deploy, its components named as they are found.
     *
     * @throws InvalidFunctionException with a message for the user
     */
    public FunctionSpec checkedSequence(String namespace, FunctionSpec spec) throws InvalidFunctionException {
        List<String> names = new ArrayList<>();
        for (String component : spec.sequenceComponents()) {
            String[] parts = component.split("/", -1);
            boolean qualified = component.startsWith("/") && parts.length == 3;
            if (qualified && !parts[1].equals("_") && !parts[1].equals(namespace)) {
                throw new InvalidFunctionException(Messages.sequenceComponentOutsideNamespace(component));
            }
            String name = qualified ? parts[2] : component;
            if (function(namespace, name).isEmpty()) {
                throw new InvalidFunctionException(Messages.sequenceComponentMissing(component));
            }
            if (reaches(namespace, name, spec.name(), new HashSet<>())) {
                throw new InvalidFunctionException(Messages.sequenceCallsItself(component));
            }
            names.add(name);
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        names.forEach(list::add);
        return new FunctionSpec(spec.name(), spec.kind(), Code.source(list.toString()), spec.main(),
                spec.parameters(), spec.env(), spec.limits(), spec.annotations(), spec.tier(), spec.labels(),
                spec.dependencies());
    }

    private boolean reaches(String namespace, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        Optional<FunctionRevision> f = function(namespace, from);
        if (!seen.add(from) || f.isEmpty() || f.get().spec().kind() != Kind.SEQUENCE) {
            return false;
        }
        return f.get().spec().sequenceComponents().stream().anyMatch(c -> reaches(namespace, c, target, seen));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
