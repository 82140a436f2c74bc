package dev.cove.core.model;

/**
 * A namespace and the credentials that act in it (OpenWhisk's {@code uuid:key}).
 *
 * @param name e.g. {@code guest}
 * @param uuid the credentials' user part
 * @param key the credentials' secret part
 */
public record Namespace(String name, String uuid, String key) {
    /** The namespace every node has, whose key the CLI is given: {@code _} in a path is it. */
    public static final String GUEST = "guest";


    public Namespace {
        FunctionSpec.requireName(name);
        if (uuid.isBlank() || key.isBlank() || uuid.contains(":")) {
            throw new IllegalArgumentException("a namespace needs a uuid without ':' and a key");
        }
    }

    /** {@code uuid:key}, as sent in Basic authentication. */
    public String auth() {
        return uuid + ":" + key;
    }

    @Override
    public String toString() {
        return "Namespace[" + name + ", uuid=" + uuid + ", key=…]";
    }
}
