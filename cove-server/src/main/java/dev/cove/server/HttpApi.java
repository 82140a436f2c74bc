package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cove.core.Node;
import dev.cove.core.model.DebugTarget;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.HttpRoute;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Namespace;
import dev.cove.core.model.Trigger;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

/**
 * The HTTP API's routes: OpenWhisk's {@code /api/v1} (docs/rest-api.md), the web routes, {@code /} and
 * {@code /metrics}, one route per endpoint and method. Functions reach {@code /api/v1} alone, through
 * their sandbox's relay ({@link #handleFromSandbox}).
 *
 * <p>What the answers depend on, in the order a request meets it (src/test/resources/routes.txt pins it):
 * <ol>
 *   <li>A path or a query with an escape that does not decode is refused before any route sees it
 *       ({@link PathSegments}, {@link Query#requireDecodable}).
 *   <li>Routes are tried in turn, the hottest ({@code /fn/NAME}, an invocation) first. Each is a regular
 *       expression over the path as it came: Vert.x's normalized path would drop {@code .} and empty
 *       segments, and its {@code :name} paths would also match a trailing slash. Each group is one
 *       segment (or the rest of a web path), which the router percent-decodes.
 *   <li>Under {@code /api/v1/namespaces} the key is checked first, for every method, then the namespace
 *       the path names: 401 and 403 come before any 404 or 405. (The alarms feed's actions, which are
 *       {@code whisk.system}'s, take every valid key.)
 *   <li>A path whose routes are all for other methods is a 405. Where a name or an id is checked before
 *       the method, the endpoint's last route takes every method and does so.
 * </ol>
 * The router also adds each group it captured to the request's query parameters, unless the query has
 * one of that name: so no group is named like a query parameter the API reads, and a web route's
 * function is given the query's own ({@link WebRequests}).
 */
final class HttpApi {
    static final long MAX_ACTION_BYTES = 64L * 1024 * 1024;
    /** An application carries the code of all its functions. */
    static final long MAX_APPLICATION_BYTES = 256L * 1024 * 1024;

    /** Below a namespace, which was checked on the way in and is not captured again. */
    private static final String NAMESPACE = "/api/v1/namespaces/[^/]*";
    private static final String ACTION = NAMESPACE + "/actions/(?<action>[^/]+)";
    private static final String APPLICATION = NAMESPACE + "/applications/(?<app>[^/]+)";
    private static final String ACTIVATION = NAMESPACE + "/activations/(?<activation>[^/]*)";
    private static final String TRIGGER = NAMESPACE + "/triggers/(?<trigger>[^/]+)";
    private static final String TOPIC = NAMESPACE + "/topics/(?<topic>[^/]+)";
    /** Any path outside those the server keeps for itself ({@link HttpRoute#RESERVED}): an HTTP trigger's, maybe. */
    private static final String HTTP_TRIGGER_PATH = "/(?!(?:" + HttpRoute.RESERVED.stream()
            .map(reserved -> Pattern.quote(reserved.substring(1))).collect(Collectors.joining("|")) + ")(?:/|$)).+";
    private static final String RULE = NAMESPACE + "/rules/(?<rule>[^/]+)";
    /** OpenWhisk's alarms feed: actions of {@code whisk.system} that every key may invoke ({@link AlarmFeed}). */
    private static final String ALARMS = "/api/v1/namespaces/whisk\\.system/actions/alarms/(?<feed>alarm|once|interval)";
    /** The route data holding the name of the namespace whose key the request carries. */
    private static final String CALLER = "caller";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final Node platform;
    private final long maxPayloadBytes;
    private final Credentials credentials;
    private final Actions actions;
    private final Applications applications;
    private final WorkflowExecutions workflows;
    private final Caches caches;
    private final Activations activations;
    private final DebugShells debugShells;
    private final Invocations invocations;
    private final Triggers triggers;
    private final Rules rules;
    private final AlarmFeed alarms;
    private final Router forClients;
    private final Router forSandboxes;

    HttpApi(Vertx vertx, Node platform, long maxPayloadBytes) {
        this.platform = platform;
        this.maxPayloadBytes = maxPayloadBytes;
        this.credentials = new Credentials(platform::authenticate, Ticker.systemTicker());
        this.actions = new Actions(platform);
        this.applications = new Applications(platform);
        this.workflows = new WorkflowExecutions(platform);
        this.caches = new Caches(platform);
        this.activations = new Activations(platform);
        this.debugShells = new DebugShells(platform);
        this.invocations = new Invocations(platform, maxPayloadBytes);
        this.triggers = new Triggers(platform, Clock.systemUTC());
        this.rules = new Rules(platform);
        this.alarms = new AlarmFeed(platform, Clock.systemUTC());
        this.forClients = clientRoutes(Router.router(vertx));
        this.forSandboxes = answeringErrors(apiRoutes(Router.router(vertx)));
    }

    void handle(HttpServerRequest request) {
        enter(request, forClients);
    }

    /**
     * A request a function sent through its sandbox's relay: the REST API under {@code /api/v1}
     * (web actions included), with the same credentials as any client's; {@code /}, {@code /fn} and
     * {@code /metrics} are for the host's clients only.
     */
    void handleFromSandbox(HttpServerRequest request) {
        enter(request, forSandboxes);
    }

    /**
     * Refuses, before routing, an empty path (which no route has), and a path or query whose escapes don't
     * decode (which the router would refuse without saying why, or decode otherwise).
     */
    private static void enter(HttpServerRequest request, Router router) {
        String path = request.path();
        try {
            if (path.isEmpty()) {
                throw ApiError.notFound();
            }
            if (path.indexOf('%') >= 0) {
                PathSegments.requireDecodable(path);
            }
            Query.requireDecodable(request);
        } catch (ApiError e) {
            new Exchange(request).error(e);
            return;
        }
        router.handle(request);
    }

    private Router clientRoutes(Router router) {
        any(router, "/fn/(?<action>[^/]+)(?<path>/.*)?").handler(serve((ex, route) -> invocations.web(ex,
                Namespace.GUEST, route.pathParam("action"), pathAfter(route), caller(ex))));
        apiRoutes(router);
        on(router, GET, "/").handler(serve((ex, route) -> ex.json(200, info())));
        on(router, GET, "/metrics").handler(serve((ex, route) ->
                ex.send(200, PROMETHEUS, Buffer.buffer(platform.metrics().scrape()))));
        // last: a path no route above has may be an HTTP trigger's, whose function answers as at /fn/NAME
        any(router, HTTP_TRIGGER_PATH).handler(serve((ex, route) -> {
            Trigger trigger = platform.httpTrigger(route.request().path()).orElseThrow(ApiError::notFound);
            HttpRoute http = trigger.spec().http().orElseThrow(ApiError::notFound);
            if (!http.answers(route.request().method().name())) {
                throw methodNotAllowed(route);
            }
            invocations.web(ex, trigger.namespace(), http.function(), "", caller(ex));
        }));
        return answeringErrors(router);
    }

    private Router apiRoutes(Router router) {
        // before the namespace is checked: the feed is whisk.system's, the triggers it acts on the caller's
        on(router, POST, ALARMS).handler(serve((ex, route) -> {
            String ns = authorized(route);
            String feed = route.pathParam("feed");
            ex.body(maxPayloadBytes, body -> alarms.invoke(ex, ns, feed, body));
        }));
        any(router, "/api/v1/namespaces(?:/(?<namespace>[^/]*)(?:/.*)?)?").handler(this::admit);
        on(router, POST, ACTION).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = name(route, "action");
            ex.body(maxPayloadBytes, body -> invocations.invoke(ex, ns, name, body));
        }));
        on(router, GET, "/api/v1/namespaces").handler(serve((ex, route) ->
                ex.json(200, Exchange.JSON.createArrayNode().add(caller(route)))));
        actionRoutes(router);
        applicationRoutes(router);
        triggerRoutes(router);
        ruleRoutes(router);
        cacheRoutes(router);
        executionRoutes(router);
        activationRoutes(router);
        any(router, "/api/v1/web/(?<namespace>[^/]*)/(?<package>[^/]*)/(?<action>[^/]*)(?<path>/.*)?")
                .handler(serve(this::webAction));
        on(router, GET, "/api/v1/?").handler(serve((ex, route) -> ex.json(200, Exchange.JSON.createObjectNode()
                .put("description", "Cove REST API").set("api_paths", Exchange.JSON.createArrayNode().add("/api/v1")))));
        return router;
    }

    private void actionRoutes(Router router) {
        on(router, GET, NAMESPACE + "/actions/?").handler(serve((ex, route) -> actions.list(ex, caller(route))));
        on(router, GET, NAMESPACE + "/instances/?").handler(serve((ex, route) -> actions.load(ex, caller(route))));
        on(router, GET, ACTION).handler(serve((ex, route) -> actions.get(ex, caller(route), name(route, "action"))));
        on(router, PUT, ACTION).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = name(route, "action");
            ex.body(MAX_ACTION_BYTES, body -> actions.put(ex, ns, name, body));
        }));
        on(router, DELETE, ACTION).handler(serve((ex, route) -> actions.delete(ex, caller(route), name(route, "action"))));
        on(router, GET, ACTION + "/debug").handler(serve((ex, route) -> debugShells.attach(route, caller(route),
                new DebugTarget.LiveInstance(name(route, "action")))));
        on(router, GET, NAMESPACE + "/debug/sessions/?").handler(serve((ex, route) ->
                debugShells.sessions(ex, caller(route))));
        any(router, ACTION).handler(serve((ex, route) -> {
            name(route, "action");
            throw methodNotAllowed(route);
        }));
    }

    private void applicationRoutes(Router router) {
        on(router, GET, NAMESPACE + "/applications/?").handler(serve((ex, route) ->
                applications.list(ex, caller(route))));
        on(router, POST, NAMESPACE + "/applications/(?<app>[^/]*)/executions").handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = name(route, "app");
            ex.body(maxPayloadBytes, body -> workflows.start(ex, ns, name, body));
        }));
        on(router, GET, APPLICATION).handler(serve((ex, route) ->
                applications.get(ex, caller(route), name(route, "app"))));
        on(router, PUT, APPLICATION).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = name(route, "app");
            ex.body(MAX_APPLICATION_BYTES, body -> applications.put(ex, ns, name, body));
        }));
        on(router, DELETE, APPLICATION).handler(serve((ex, route) ->
                applications.delete(ex, caller(route), name(route, "app"))));
        any(router, APPLICATION).handler(serve((ex, route) -> {
            name(route, "app");
            throw methodNotAllowed(route);
        }));
    }

    /** {@code POST} fires a trigger with the body as its payload. */
    private void triggerRoutes(Router router) {
        on(router, GET, NAMESPACE + "/triggers/?").handler(serve((ex, route) -> triggers.list(ex, caller(route))));
        on(router, GET, TRIGGER).handler(serve((ex, route) ->
                triggers.get(ex, caller(route), named(route, "trigger"))));
        on(router, PUT, TRIGGER).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = named(route, "trigger");
            ex.body(maxPayloadBytes, body -> triggers.put(ex, ns, name, body));
        }));
        on(router, POST, TRIGGER).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = named(route, "trigger");
            ex.body(maxPayloadBytes, body -> triggers.fire(ex, ns, name, body));
        }));
        on(router, DELETE, TRIGGER).handler(serve((ex, route) ->
                triggers.delete(ex, caller(route), named(route, "trigger"))));
        on(router, GET, TRIGGER + "/failures/?").handler(serve((ex, route) ->
                triggers.failures(ex, caller(route), named(route, "trigger"))));
        on(router, POST, TRIGGER + "/failures/(?<failure>[^/]+)").handler(serve((ex, route) ->
                triggers.redeliver(ex, caller(route), named(route, "trigger"), route.pathParam("failure"))));
        on(router, POST, TOPIC).handler(serve((ex, route) -> {
            String ns = caller(route);
            String topic = named(route, "topic");
            ex.body(maxPayloadBytes, body -> triggers.publish(ex, ns, topic, body));
        }));
        any(router, TOPIC).handler(serve((ex, route) -> {
            named(route, "topic");
            throw methodNotAllowed(route);
        }));
        any(router, TRIGGER).handler(serve((ex, route) -> {
            named(route, "trigger");
            throw methodNotAllowed(route);
        }));
    }

    /** {@code POST} activates or deactivates a rule. */
    private void ruleRoutes(Router router) {
        on(router, GET, NAMESPACE + "/rules/?").handler(serve((ex, route) -> rules.list(ex, caller(route))));
        on(router, GET, RULE).handler(serve((ex, route) -> rules.get(ex, caller(route), named(route, "rule"))));
        on(router, PUT, RULE).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = named(route, "rule");
            ex.body(maxPayloadBytes, body -> rules.put(ex, ns, name, body));
        }));
        on(router, POST, RULE).handler(serve((ex, route) -> {
            String ns = caller(route);
            String name = named(route, "rule");
            ex.body(maxPayloadBytes, body -> rules.setStatus(ex, ns, name, body));
        }));
        on(router, DELETE, RULE).handler(serve((ex, route) -> rules.delete(ex, caller(route), named(route, "rule"))));
        any(router, RULE).handler(serve((ex, route) -> {
            named(route, "rule");
            throw methodNotAllowed(route);
        }));
    }

    /** The cache's paths answer every other method with 404, not 405. */
    private void cacheRoutes(Router router) {
        on(router, GET, NAMESPACE + "/cache").handler(serve((ex, route) -> caches.stats(ex, caller(route))));
        on(router, DELETE, NAMESPACE + "/cache/(?<cached>[^/]*)").handler(serve((ex, route) ->
                caches.clear(ex, caller(route), name(route, "cached"))));
        any(router, NAMESPACE + "/cache(?:/[^/]*)?").handler(serve((ex, route) -> {
            throw ApiError.notFound();
        }));
    }

    /** Every path below executions answers any method but GET with 405. */
    private void executionRoutes(Router router) {
        on(router, GET, NAMESPACE + "/executions/?").handler(serve((ex, route) -> workflows.list(ex, caller(route))));
        on(router, GET, NAMESPACE + "/executions/(?<execution>[^/]+)").handler(serve((ex, route) ->
                workflows.get(ex, caller(route), route.pathParam("execution"))));
        any(router, NAMESPACE + "/executions(?:/.*)?").handler(serve((ex, route) -> {
            throw route.request().method() == GET ? ApiError.notFound() : methodNotAllowed(route);
        }));
    }

    /** Every path below activations but replay (a POST) answers any method but GET with 405; a GET's id is checked first. */
    private void activationRoutes(Router router) {
        on(router, GET, NAMESPACE + "/activations/?").handler(serve((ex, route) ->
                activations.list(ex, caller(route))));
        on(router, GET, ACTIVATION + "/?").handler(serve((ex, route) ->
                activations.get(ex, caller(route), route.pathParam("activation"), Activations.Part.RECORD)));
        on(router, GET, ACTIVATION + "/logs").handler(serve((ex, route) ->
                activations.get(ex, caller(route), route.pathParam("activation"), Activations.Part.LOGS)));
        on(router, GET, ACTIVATION + "/result").handler(serve((ex, route) ->
                activations.get(ex, caller(route), route.pathParam("activation"), Activations.Part.RESULT)));
        on(router, GET, ACTIVATION + "/chain").handler(serve((ex, route) ->
                activations.chain(ex, caller(route), route.pathParam("activation"))));
        on(router, GET, ACTIVATION + "/debug").handler(serve((ex, route) ->
                debugShells.attach(route, caller(route), new DebugTarget.FailedActivation(route.pathParam("activation")))));
        on(router, POST, ACTIVATION + "/replay").handler(serve((ex, route) ->
                invocations.replay(ex, caller(route), route.pathParam("activation"))));
        any(router, ACTIVATION + "/.*").handler(serve((ex, route) -> {
            if (route.request().method() != GET) {
                throw methodNotAllowed(route);
            }
            Activations.requireId(route.pathParam("activation"));
            throw ApiError.notFound();
        }));
    }

    private void webAction(Exchange ex, RoutingContext route) {
        String namespace = route.pathParam("namespace");
        invocations.webAction(ex, namespace.equals("_") ? Namespace.GUEST : namespace, route.pathParam("package"),
                WebMedia.address(route.pathParam("action")), pathAfter(route), caller(ex));
    }

    /** Lets a request under {@code /api/v1/namespaces} on with a valid key (401) for the namespace it names (403). */
    private void admit(RoutingContext route) {
        try {
            route.put(CALLER, authorized(route));
        } catch (ApiError e) {
            new Exchange(route.request()).error(e);
            return;
        }
        route.next();
    }

    private String authorized(RoutingContext route) throws ApiError {
        Namespace caller = credentials.namespace(route.request().headers())
                .orElseThrow(() -> new ApiError(401, Messages.UNAUTHENTICATED));
        String named = route.pathParam("namespace");
        if (named != null && !named.equals("_") && !named.equals(caller.name())) {
            throw new ApiError(403, Messages.notAuthorized(named));
        }
        return caller.name();
    }

    /** The namespace whose key the request carries, for a web route (asked only when a function wants a key). */
    private Supplier<Optional<String>> caller(Exchange ex) {
        return () -> credentials.namespace(ex.request.headers()).map(Namespace::name);
    }

    private static String caller(RoutingContext route) {
        return route.get(CALLER);
    }

    private static String name(RoutingContext route, String group) throws ApiError {
        return name(route, group, "function");
    }

    /** A trigger's or a rule's name ({@code kind}), from the path's group of that name. */
    private static String named(RoutingContext route, String kind) throws ApiError {
        return name(route, kind, kind);
    }

    /** The path's name in {@code group}, checked as the name of a function, trigger or rule ({@code what}). */
    private static String name(RoutingContext route, String group, String what) throws ApiError {
        String name = route.pathParam(group);
        try {
            FunctionSpec.requireName(what, name);
            return name;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** A web route's path after the function's name, with its leading slash, or empty. */
    private static String pathAfter(RoutingContext route) {
        String path = route.pathParam("path");
        return path == null ? "" : path;
    }

    private static ApiError methodNotAllowed(RoutingContext route) {
        return new ApiError(405, Messages.methodNotAllowed(route.request().method()));
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

    /**
     * The router's own refusals in the API's shape: no route for the path (404), none for the method
     * (405), and a request that names no host (400), which it won't route.
     */
    private static Router answeringErrors(Router router) {
        router.errorHandler(404, route -> new Exchange(route.request()).error(ApiError.notFound()));
        router.errorHandler(405, route -> new Exchange(route.request()).error(methodNotAllowed(route)));
        router.errorHandler(400, route -> new Exchange(route.request()).error(ApiError.badRequest(Messages.NO_AUTHORITY)));
        router.errorHandler(500, route -> new Exchange(route.request()).internal(route.failure()));
        return router;
    }

    /** What a route does with its request; it throws the API's refusals. */
    @FunctionalInterface
    private interface Endpoint {
        void serve(Exchange ex, RoutingContext route) throws ApiError;
    }

    private static Handler<RoutingContext> serve(Endpoint endpoint) {
        return route -> {
            Exchange ex = new Exchange(route.request());
            try {
                endpoint.serve(ex, route);
            } catch (ApiError e) {
                ex.error(e);
            } catch (RuntimeException e) {
                ex.internal(e);
            }
        };
    }

    /** A route for one method over the path as it came (see the class's note). */
    private static Route on(Router router, HttpMethod method, String path) {
        return router.routeWithRegex(method, path).useNormalizedPath(false);
    }

    /** A route for every method. */
    private static Route any(Router router, String path) {
        return router.routeWithRegex(path).useNormalizedPath(false);
    }
}
