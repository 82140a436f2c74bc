package dev.cove.core.cache;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose entries: a function's own ({@code function} present) or the entries its application's
 * functions share ({@code function} empty, {@code ctx.cache.app} in a function's code).
 *
 * <p>Names may hold any characters; each is 1 to {@value #MAX_NAME_CHARS} characters of valid
 * Unicode (no lone surrogate, so that a name has one UTF-8 form). No two scopes share an entry,
 * whatever their names.
 */
public record Scope(String namespace, String application, Optional<String> function) {
    static final int MAX_NAME_CHARS = 256;
    /** By application, its shared scope before its functions. */
    static final Comparator<Scope> ORDER = Comparator.comparing((Scope scope) -> scope.application())
            .thenComparing(scope -> scope.function().orElse(""));

    public Scope {
        requireName("namespace", namespace);
        requireName("application", application);
        Objects.requireNonNull(function, "function");
        function.ifPresent(name -> requireName("function", name));
    }

    /** The private entries of one function of an application. */
    public static Scope function(String namespace, String application, String function) {
        return new Scope(namespace, application, Optional.of(function));
    }

    /** The entries the functions of one application share. */
    public static Scope application(String namespace, String application) {
        return new Scope(namespace, application, Optional.empty());
    }

    /** The shared scope of this scope's application (itself when it is one). */
    public Scope applicationScope() {
        return function.isEmpty() ? this : application(namespace, application);
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
