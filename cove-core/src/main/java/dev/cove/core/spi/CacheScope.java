package dev.cove.core.spi;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose entries: a function's own ({@link #function(String, String, String)}) or the entries its
 * application's functions share ({@link #application(String, String)}, {@code ctx.cache.app} in a
 * function's code).
 *
 * <p>Names may hold any characters; each is 1 to {@value #MAX_NAME_CHARS} characters of valid
 * Unicode (no lone surrogate, so that a name has one UTF-8 form). No two scopes share an entry,
 * whatever their names.
 *
 * <p>A value class, not a record: a record's optional function would be a constructor parameter of
 * type {@code Optional}; the two factories say which kind of scope is meant instead.
 */
public final class CacheScope {
    static final int MAX_NAME_CHARS = 256;
    /** By application, its shared scope before its functions. */
    public static final Comparator<CacheScope> ORDER = Comparator.comparing((CacheScope scope) -> scope.application)
            .thenComparing(scope -> scope.function);

    private final String namespace;
    private final String application;
    /** The function's name; empty for the application's shared scope (a name is never empty). */
    private final String function;

    private CacheScope(String namespace, String application, String function) {
        this.namespace = namespace;
        this.application = application;
        this.function = function;
    }

    /** The private entries of one function of an application. */
    public static CacheScope function(String namespace, String application, String function) {
        requireName("namespace", namespace);
        requireName("application", application);
        requireName("function", function);
        return new CacheScope(namespace, application, function);
    }

    /** The entries the functions of one application share. */
    public static CacheScope application(String namespace, String application) {
        requireName("namespace", namespace);
        requireName("application", application);
        return new CacheScope(namespace, application, "");
    }

    public String namespace() {
        return namespace;
    }

    public String application() {
        return application;
    }

    /** The function whose private entries these are; empty for the application's shared scope. */
    public Optional<String> function() {
        return function.isEmpty() ? Optional.empty() : Optional.of(function);
    }

    /** The shared scope of this scope's application (itself when it is one). */
    public CacheScope applicationScope() {
        return function.isEmpty() ? this : new CacheScope(namespace, application, "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheScope that && namespace.equals(that.namespace)
                && application.equals(that.application) && function.equals(that.function);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, application, function);
    }

    @Override
    public String toString() {
        return "CacheScope[namespace=" + namespace + ", application=" + application
                + (function.isEmpty() ? ", shared" : ", function=" + function) + "]";
    }

    private static void requireName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException(
                    what + " must be 1 to " + MAX_NAME_CHARS + " characters long, was " + name.length());
        }
        int surrogate = Utf8.loneSurrogate(name);
        if (surrogate >= 0) {
            throw new IllegalArgumentException(
                    what + " must be valid Unicode, has a lone surrogate at index " + surrogate);
        }
    }
}
