package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Namespace;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes requests: OpenWhisk's {@code /api/v1} (see docs/rest-api.md), the web routes, {@code /} and
 * {@code /metrics}. Paths are matched by segment, each percent-decoded ({@link PathSegments}); there is no
 * routing library on the hot path. Requests functions send through their sandbox's relay reach
 * {@code /api/v1} alone ({@link #handleFromSandbox}).
 */
final class HttpApi {
    static final long MAX_ACTION_BYTES = 64L * 1024 * 1024;
    /** An application carries the code of all its functions. */
    static final long MAX_APPLICATION_BYTES = 256L * 1024 * 1024;
    private static final int AUTH_CACHE_SIZE = 1024;

    private final Node platform;
    private final long maxPayloadBytes;
    private final Actions actions;
    private final Applications applications;
    private final WorkflowExecutions workflows;
    private final Caches caches;
    private final Activations activations;
    private final Invocations invocations;
    private final Map<String, Namespace> authCache = new ConcurrentHashMap<>();

    HttpApi(Node platform, long maxPayloadBytes) {
        this.platform = platform;
        this.maxPayloadBytes = maxPayloadBytes;
        this.actions = new Actions(platform);
        this.applications = new Applications(platform);
        this.workflows = new WorkflowExecutions(platform);
        this.caches = new Caches(platform);
        this.activations = new Activations(platform);
        this.invocations = new Invocations(platform, maxPayloadBytes);
    }

    void handle(HttpServerRequest request) {
        serve(request, this::route);
    }

    /**
     * A request a function sent through its sandbox's relay: the REST API under {@code /api/v1}
     * (web actions included), with the same credentials as any client's; {@code /}, {@code /fn} and
     * {@code /metrics} are for the host's clients only.
     */
    void handleFromSandbox(HttpServerRequest request) {
        serve(request, (ex, p) -> {
            if (p.length < 3 || !p[1].equals("api") || !p[2].equals("v1")) {
                throw ApiError.notFound();
            }
            apiV1(ex, ex.request.method(), p);
        });
    }

    private interface Router {
        void route(Exchange ex, String[] segments) throws ApiError;
    }

    private static void serve(HttpServerRequest request, Router router) {
        Exchange ex = new Exchange(request);
        try {
            router.route(ex, PathSegments.of(request.path()));
        } catch (ApiError e) {
            ex.error(e);
        } catch (RuntimeException e) {
            ex.internal(e);
        }
    }

    private void route(Exchange ex, String[] p) throws ApiError {
        HttpMethod method = ex.request.method();
        // p[0] is the empty segment before the leading slash
        if (p.length == 2 && p[1].isEmpty()) {
            requireMethod(method, HttpMethod.GET);
            ex.json(200, info());
        } else if (p.length >= 3 && p[1].equals("fn") && !p[2].isEmpty()) {
            invocations.web(ex, Namespace.GUEST, p[2], rest(p, 3), () -> credentials(ex).map(Namespace::name));
        } else if (p.length == 2 && p[1].equals("metrics")) {
            requireMethod(method, HttpMethod.GET);
            ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                    Buffer.buffer(platform.metrics().scrape()));
        } else if (p.length >= 3 && p[1].equals("api") && p[2].equals("v1")) {
            apiV1(ex, method, p);
        } else {
            throw ApiError.notFound();
        }
    }

    private void apiV1(Exchange ex, HttpMethod method, String[] p) throws ApiError {
        if (p.length == 3 || p.length == 4 && p[3].isEmpty()) {
            requireMethod(method, HttpMethod.GET);
            ex.json(200, Exchange.JSON.createObjectNode().put("description", "Cove REST API")
                    .set("api_paths", Exchange.JSON.createArrayNode().add("/api/v1")));
            return;
        }
        if (p[3].equals("web") && p.length >= 7) {
            String namespace = p[4].equals("_") ? Namespace.GUEST : p[4];
            invocations.webAction(ex, namespace, p[5], WebMedia.address(p[6]), rest(p, 7),
                    () -> credentials(ex).map(Namespace::name));
            return;
        }
        if (!p[3].equals("namespaces")) {
            throw ApiError.notFound();
        }
        Namespace caller = authenticate(ex);
        if (p.length == 4) {
            requireMethod(method, HttpMethod.GET);
            ex.json(200, Exchange.JSON.createArrayNode().add(caller.name()));
            return;
        }
        if (!p[4].equals("_") && !p[4].equals(caller.name())) {
            throw new ApiError(403, "The supplied authentication is not authorized to access '" + p[4] + "'.");
        }
        String ns = caller.name();
        if (p.length >= 6 && p[5].equals("actions")) {
            actionRoutes(ex, method, ns, p);
        } else if (p.length >= 6 && p[5].equals("applications")) {
            applicationRoutes(ex, method, ns, p);
        } else if (p.length >= 6 && p[5].equals("cache")) {
            if (p.length == 6 && method == HttpMethod.GET) {
                caches.stats(ex, ns);
            } else if (p.length == 7 && method == HttpMethod.DELETE) {
                caches.clear(ex, ns, requireName(p[6]));
            } else {
                throw ApiError.notFound();
            }
        } else if (p.length >= 6 && p[5].equals("executions")) {
            requireMethod(method, HttpMethod.GET);
            if (p.length == 6 || p.length == 7 && p[6].isEmpty()) {
                workflows.list(ex, ns);
            } else if (p.length == 7) {
                workflows.get(ex, ns, p[6]);
            } else {
                throw ApiError.notFound();
            }
        } else if (p.length >= 6 && p[5].equals("activations")) {
            requireMethod(method, HttpMethod.GET);
            activations.route(ex, ns, p);
        } else {
            throw ApiError.notFound();
        }
    }

    private void applicationRoutes(Exchange ex, HttpMethod method, String ns, String[] p) throws ApiError {
        if (p.length == 6 || p.length == 7 && p[6].isEmpty()) {
            requireMethod(method, HttpMethod.GET);
            applications.list(ex, ns);
            return;
        }
        if (p.length == 8 && p[7].equals("executions")) {
            requireMethod(method, HttpMethod.POST);
            String application = requireName(p[6]);
            ex.body(maxPayloadBytes, body -> workflows.start(ex, ns, application, body));
            return;
        }
        if (p.length != 7) {
            throw ApiError.notFound();
        }
        String name = requireName(p[6]);
        if (method == HttpMethod.GET) {
            applications.get(ex, ns, name);
        } else if (method == HttpMethod.PUT) {
            ex.body(MAX_APPLICATION_BYTES, body -> applications.put(ex, ns, name, body));
        } else if (method == HttpMethod.DELETE) {
            applications.delete(ex, ns, name);
        } else {
            throw new ApiError(405, "The method " + method + " is not allowed here.");
        }
    }

    private static String requireName(String name) throws ApiError {
        try {
            FunctionSpec.requireName(name);
            return name;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private void actionRoutes(Exchange ex, HttpMethod method, String ns, String[] p) throws ApiError {
        if (p.length == 6 || p.length == 7 && p[6].isEmpty()) {
            requireMethod(method, HttpMethod.GET);
            actions.list(ex, ns);
            return;
        }
        if (p.length != 7) {
            throw ApiError.notFound();
        }
        String name = requireName(p[6]);
        if (method == HttpMethod.GET) {
            actions.get(ex, ns, name);
        } else if (method == HttpMethod.PUT) {
            ex.body(MAX_ACTION_BYTES, body -> actions.put(ex, ns, name, body));
        } else if (method == HttpMethod.DELETE) {
            actions.delete(ex, ns, name);
        } else if (method == HttpMethod.POST) {
            ex.body(maxPayloadBytes, body -> invocations.invoke(ex, ns, name, body));
        } else {
            throw new ApiError(405, "The method " + method + " is not allowed here.");
        }
    }

    /** Basic authentication with {@code uuid:key}, or 401. */
    private Namespace authenticate(Exchange ex) throws ApiError {
        return credentials(ex).orElseThrow(() -> new ApiError(401, "The supplied authentication is invalid."));
    }

    /** The namespace whose valid {@code uuid:key} the request carries; answers remembered per header value. */
    private Optional<Namespace> credentials(Exchange ex) {
        String header = ex.request.getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        Namespace known = authCache.get(header);
        if (known != null) {
            return Optional.of(known);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        Optional<Namespace> found = colon < 0 ? Optional.empty()
                : platform.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
        found.ifPresent(ns -> {
            if (authCache.size() >= AUTH_CACHE_SIZE) {
                authCache.clear();
            }
            authCache.put(header, ns);
        });
        return found;
    }

    private ObjectNode info() {
        ObjectNode info = Exchange.JSON.createObjectNode();
        info.put("description", "Cove, a serverless platform");
        ObjectNode runtimes = info.putObject("runtimes");
        for (Kind kind : Kind.values()) {
            if (kind.runsCode() && platform.supports(kind)) {
                runtimes.putArray(kind.family()).addObject().put("kind", kind.kindName()).put("default", true);
            }
        }
        ArrayNode unavailable = info.putArray("unavailable");
        platform.unavailableRuntimes().forEach(unavailable::add);
        info.putObject("limits")
                .put("max_payload_bytes", maxPayloadBytes)
                .put("max_action_bytes", MAX_ACTION_BYTES)
                .put("max_timeout_ms", Limits.MAX_TIMEOUT.toMillis());
        return info;
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws ApiError {
        if (!actual.equals(expected)) {
            throw new ApiError(405, "The method " + actual + " is not allowed here.");
        }
    }

    /** The path after the function's name in a web route, with its leading slash, or empty. */
    private static String rest(String[] p, int from) {
        if (from >= p.length) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (int i = from; i < p.length; i++) {
            path.append('/').append(p[i]);
        }
        return path.toString();
    }
}
