package dev.cove.core.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A path of the server's, and the methods on it, that answer with a function as {@code /fn/NAME} does:
 * an HTTP trigger ({@code cove trigger create T --http /rescale --method POST --function rescale}).
 *
 * @param path from the server's root, beginning with '/'; not under a path the server keeps for itself
 * @param methods the HTTP methods it answers, upper case; all of GET, POST, PUT, PATCH and DELETE when empty
 * @param function the function that answers, of the trigger's namespace
 */
public record HttpRoute(String path, Set<String> methods, String function) {
    /** Paths the server answers itself, which no trigger may take. */
    public static final Set<String> RESERVED = Set.of("/api", "/fn", "/web", "/metrics");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+/?");

    public HttpRoute {
        Objects.requireNonNull(path, "path");
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(Messages.badRoutePath(path));
        }
        RESERVED.stream().filter(r -> path.equals(r) || path.startsWith(r + "/")).findFirst().ifPresent(r -> {
            throw new IllegalArgumentException(Messages.reservedRoutePath(path, r));
        });
        Set<String> upper = new TreeSet<>();
        for (String method : methods) {
            String m = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException(Messages.badRouteMethod(method));
            }
            upper.add(m);
        }
        methods = Set.copyOf(upper);
        FunctionSpec.requireName(function);
    }

    /** Whether it answers the method (upper case). */
    public boolean answers(String method) {
        return methods.isEmpty() ? METHODS.contains(method) : methods.contains(method);
    }
}
