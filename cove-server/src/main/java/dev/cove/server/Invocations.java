package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.Admission;
import dev.cove.core.model.FunctionRevision;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Invoking functions: OpenWhisk's {@code POST …/actions/{name}} and the web routes. */
final class Invocations {
    /**
     * How much longer than the function's timeout a blocking call waits for a queued activation before
     * answering 202. One that went straight to an instance needs no such wait: its own deadline ends it.
     */
    private static final Duration BLOCKING_GRACE = Duration.ofSeconds(60);

    private final Node platform;
    private final long maxPayloadBytes;

    Invocations(Node platform, long maxPayloadBytes) {
        this.platform = platform;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The one mapping from how an activation ended to the HTTP status of a blocking call. */
    static int httpStatus(ActivationStatus status) {
        return switch (status) {
            case SUCCESS -> 200;
            case APPLICATION_ERROR, DEVELOPER_ERROR -> 502;
            case TIMEOUT -> 408;
            case PLATFORM_ERROR -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    void invoke(Exchange ex, String ns, String name, Buffer body) {
        try {
            boolean blocking = ex.query().flag("blocking", false);
            boolean resultOnly = ex.query().flag("result", false);
            ObjectNode params = Exchange.jsonObject(body);
            FunctionRevision revision = platform.function(ns, name).orElseThrow(ApiError::notFound);
            admit(ex, revision, params, blocking, activation -> {
                if (resultOnly) {
                    ex.send(httpStatus(activation.status()), "application/json",
                            Buffer.buffer(activation.result().bytes()));
                } else {
                    ex.send(httpStatus(activation.status()), "application/json",
                            Buffer.buffer(activation.toJsonBytes()));
                }
            });
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    /** Cove's own web route, {@code /fn/NAME/…}: any result that is not an HTTP response is sent as JSON. */
    void web(Exchange ex, String ns, String name, String restPath, Supplier<Optional<String>> caller) {
        web(ex, ns, name, restPath, revision -> true, caller, false,
                activation -> WebRequests.respond(ex, activation));
    }

    /**
     * OpenWhisk's web route, {@code /api/v1/web/NS/PKG/NAME.EXT/…}: the package {@code default} holds every
     * function of the namespace, any other is an application; the extension says what the answer is.
     */
    void webAction(Exchange ex, String ns, String pkg, WebMedia.Addressed addressed, String restPath,
            Supplier<Optional<String>> caller) {
        web(ex, ns, addressed.name(), restPath, revision -> pkg.equals("default") || pkg.equals(revision.application()),
                caller, true, activation -> WebRequests.respond(ex, activation, addressed.extension()));
    }

    /**
     * Finds the function, lets in only the requests its {@code require-whisk-auth} admits and invokes it.
     * With {@code cors} (OpenWhisk's route), unless the function answers OPTIONS itself, every answer
     * carries the default CORS headers and OPTIONS is answered here, without invoking it or asking for
     * credentials; a function that answers OPTIONS itself is invoked for it, credentials or not. A
     * function that asks for a key is told whose it was ({@code __ow_user}, the caller's namespace).
     * {@code caller} is the namespace whose valid key the request carries, asked only when needed.
     */
    private void web(Exchange ex, String ns, String name, String restPath, Predicate<FunctionRevision> inPackage,
            Supplier<Optional<String>> caller, boolean cors, Consumer<Activation> answer) {
        ex.body(maxPayloadBytes, body -> {
            try {
                FunctionRevision revision = platform.function(ns, name).filter(inPackage)
                        .orElseThrow(ApiError::notFound);
                ArrayNode annotations = revision.spec().annotations();
                boolean custom = !cors || WebAccess.customOptions(annotations);
                boolean options = ex.request.method().equals(HttpMethod.OPTIONS);
                if (!custom) {
                    WebAccess.corsHeaders(ex.request.headers())
                            .forEach(h -> ex.request.response().headers().add(h.getKey(), h.getValue()));
                    if (options) {
                        ex.send(200, null, Buffer.buffer());
                        return;
                    }
                }
                boolean exempt = cors && custom && options; // OpenWhisk lets the function answer its OPTIONS
                WebAccess.Requirement requirement = WebAccess.requirement(annotations);
                Optional<String> user = requirement instanceof WebAccess.Key ? caller.get() : Optional.empty();
                if (!exempt && !WebAccess.admits(requirement, ex.request.headers(), user::isPresent)) {
                    throw new ApiError(401, Messages.WEB_UNAUTHORIZED);
                }
                ObjectNode params = WebRequests.params(ex.request, body, restPath);
                user.ifPresent(u -> params.put("__ow_user", u));
                admit(ex, revision, params, true, answer);
            } catch (ApiError e) {
                ex.error(e);
            }
        });
    }

    /**
     * {@code POST …/activations/ID/replay}: a failed activation run again with its parameters, on its
     * version or with {@code latest=true} the current one, its sandbox kept with {@code debug=true};
     * answered as an invocation is, blocking or not (a replay is not stored first: a crash forgets it).
     * Off the event loop: the parameters may be read from the store.
     */
    void replay(Exchange ex, String ns, String activationId) {
        try {
            Activations.requireId(activationId);
            boolean blocking = ex.query().flag("blocking", false);
            boolean latest = ex.query().flag("latest", false);
            boolean keep = ex.query().flag("debug", false);
            ex.blocking(() -> ApiError.refusing(() -> platform.replay(ns, activationId, latest, keep)),
                    admission -> answerReplay(ex, admission, blocking));
        } catch (ApiError e) {
            ex.error(e);
        }
    }

    private static void answerReplay(Exchange ex, Admission admission, boolean blocking) {
        if (!blocking || admission instanceof Admission.Rejected) {
            accepted(ex, admission);
            return;
        }
        Admission.Accepted a = (Admission.Accepted) admission;
        ex.header(Exchange.ACTIVATION_ID_HEADER, a.activationId());
        a.completion().thenAccept(activation -> ex.onContext(() -> ex.send(httpStatus(activation.status()),
                "application/json", Buffer.buffer(activation.toJsonBytes()))));
    }

    /** A non-blocking invocation's answer, once it is in the store: 202 with its id, or 429. */
    private static void accepted(Exchange ex, Admission admission) {
        switch (admission) {
            case Admission.Rejected r -> ex.error(new ApiError(429, r.message()));
            case Admission.Accepted a -> {
                ex.header(Exchange.ACTIVATION_ID_HEADER, a.activationId());
                ex.json(202, Exchange.JSON.createObjectNode().put("activationId", a.activationId()));
            }
        }
    }

    /**
     * Admits the invocation and answers: 429 when refused, 202 with the id when not blocking or when
     * the activation outlasts the wait, else whatever {@code answer} makes of the activation.
     */
    private void admit(Exchange ex, FunctionRevision revision, ObjectNode params, boolean blocking,
            Consumer<Activation> answer) {
        if (!blocking) {
            platform.invokeAsync(revision, params).thenAccept(admission -> ex.onContext(() -> accepted(ex, admission)));
            return;
        }
        switch (platform.invoke(revision, params)) {
            case Admission.Rejected r -> ex.error(new ApiError(429, r.message()));
            case Admission.Accepted a -> {
                ex.header(Exchange.ACTIVATION_ID_HEADER, a.activationId());
                AtomicBoolean answered = new AtomicBoolean();
                Runnable disarm = a.running() ? () -> {} : acceptedIfLate(ex, revision, a.activationId(), answered);
                a.completion().thenAccept(activation -> {
                    if (answered.compareAndSet(false, true)) {
                        disarm.run();
                        ex.onContext(() -> answer.accept(activation));
                    }
                });
            }
        }
    }

    /**
     * Answers 202 with the activation's id unless it is answered within its function's timeout and
     * {@link #BLOCKING_GRACE}; returns what calls that off.
     */
    private Runnable acceptedIfLate(Exchange ex, FunctionRevision revision, String activationId, AtomicBoolean answered) {
        return platform.deadlines().arm(revision.spec().limits().timeout().plus(BLOCKING_GRACE), () -> {
            if (answered.compareAndSet(false, true)) {
                ex.json(202, Exchange.JSON.createObjectNode().put("activationId", activationId));
            }
        })::cancel;
    }
}
