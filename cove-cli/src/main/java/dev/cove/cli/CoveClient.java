package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The REST API as the commands use it (docs/rest-api.md). Every failure to get an answer, and every
 * error status a command does not handle itself, becomes a {@link CliException} with one line for a
 * person.
 *
 * <p>One {@link HttpURLConnection} a request: a command makes one or two. {@code java.net.http}'s
 * client took about 300 ms of every command to start (its selector thread, its executor, its TLS
 * setup) where the whole request takes a few milliseconds; a request with a body streams it with a
 * fixed length, which also keeps the connection from silently sending a POST twice.
 */
final class CoveClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the longest function timeout (300 s), so the server decides when a blocking call ends. */
    private static final Duration INVOKE_TIMEOUT = Duration.ofMinutes(6);
    /** Longer than the server's limit on installing a function's dependencies (5 minutes). */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(6);
    private static final String NAMESPACE = "/api/v1/namespaces/_";

    private final Target target;

    CoveClient(Target target) {
        this.target = target;
    }

    /** An answer: its status and its body as received. */
    record Response(int status, String body) {
        JsonNode json() {
            return Json.parse(body).orElseThrow(() -> new CliException(
                    "the server answered HTTP " + status + " with a body that is not JSON"));
        }
    }

    /**
     * Deploys an action; a deployment the server refuses as invalid (HTTP 400, e.g. code that does not
     * compile) is an error that starts with the file it came from, as the user named it.
     *
     * @param installs whether the server installs dependencies first, which it may take minutes for
     */
    Response putAction(String name, JsonNode action, String file, boolean installs) {
        Response response = send("PUT", action(name) + "?overwrite=true", installs ? INSTALL_TIMEOUT : REQUEST_TIMEOUT,
                action);
        if (response.status() == 400) {
            throw new CliException(file + ": " + serverError(response));
        }
        return expectOk(response, notFound(name));
    }

    /** Deploys an application; {@code installs} as for {@link #putAction}. */
    Response putApplication(String name, JsonNode application, boolean installs) {
        return expectOk(send("PUT", application(name), installs ? INSTALL_TIMEOUT : REQUEST_TIMEOUT, application), "");
    }

    Response listApplications() {
        return expectOk(send("GET", NAMESPACE + "/applications"), "");
    }

    Response getApplication(String name) {
        return expectOk(send("GET", application(name)), noApplication(name));
    }

    Response deleteApplication(String name) {
        return expectOk(send("DELETE", application(name)), noApplication(name));
    }

    /** Starts a workflow; a blocking start's 502 (it failed) is an answer: its body is the execution. */
    Response startWorkflow(String application, JsonNode input, boolean blocking) {
        Response response = send("POST", application(application) + "/executions?blocking=" + blocking,
                blocking ? INVOKE_TIMEOUT : REQUEST_TIMEOUT, input);
        if (blocking && response.status() == 502
                && Json.parse(response.body()).map(body -> body.has("executionId")).orElse(false)) {
            return response;
        }
        return expectOk(response, noApplication(application));
    }

    Response listExecutions(Optional<String> application, int limit) {
        String query = "?limit=" + limit + application.map(a -> "&application=" + encode(a)).orElse("");
        return expectOk(send("GET", NAMESPACE + "/executions" + query), "");
    }

    Response getExecution(String id) {
        return expectOk(send("GET", NAMESPACE + "/executions/" + encode(id)),
                "no workflow execution with id '" + id + "' (cove workflow executions lists the recent ones)");
    }

    Response cacheStats(Optional<String> function) {
        String query = function.map(f -> "?function=" + encode(f)).orElse("");
        return expectOk(send("GET", NAMESPACE + "/cache" + query),
                function.map(CoveClient::notFound).orElse(""));
    }

    Response clearCache(String function, boolean application) {
        return expectOk(send("DELETE", NAMESPACE + "/cache/" + encode(function) + "?scope=" + (application ? "app" : "function")), notFound(function));
    }

    /** What each function with instances on the server is doing: instances, waiting activations, totals. */
    Response load() {
        return expectOk(send("GET", NAMESPACE + "/instances"), "");
    }

    Response listActions(int limit, int skip) {
        return expectOk(send("GET", NAMESPACE + "/actions?limit=" + limit + "&skip=" + skip), "");
    }

    Response getAction(String name, boolean code) {
        return expectOk(send("GET", action(name) + "?code=" + code), notFound(name));
    }

    Response deleteAction(String name) {
        return expectOk(send("DELETE", action(name)), notFound(name));
    }

    /**
     * Invokes a function. A blocking call's 502 (the function failed) and 408 (it timed out) are
     * answers, not errors: their body is the activation.
     */
    Response invoke(String name, JsonNode params, boolean blocking) {
        Response response = send("POST", action(name) + "?blocking=" + blocking + "&result=false",
                blocking ? INVOKE_TIMEOUT : REQUEST_TIMEOUT, params);
        if (blocking && (response.status() == 502 || response.status() == 408)
                && Json.parse(response.body()).map(body -> body.has("activationId")).orElse(false)) {
            return response;
        }
        return expectOk(response, notFound(name));
    }

    /**
     * Runs a failed activation again and waits for it: a failure is an answer as for {@link #invoke};
     * one the server can't replay (not remembered, redeployed since) is an error with the server's words.
     */
    Response replay(String id, boolean latest, boolean debug) {
        Response response = send("POST", activation(id) + "/replay?blocking=true&latest=" + latest + "&debug=" + debug,
                INVOKE_TIMEOUT, null);
        if (response.status() >= 400 && response.status() != 404 && response.status() != 409
                && Json.parse(response.body()).map(body -> body.has("activationId")).orElse(false)) {
            return response;
        }
        return expectOk(response, "");
    }

    Response listActivations(Optional<String> name, int limit, int skip, boolean docs, Optional<Long> since) {
        StringJoiner query = new StringJoiner("&", "?", "");
        name.ifPresent(value -> query.add("name=" + encode(value)));
        since.ifPresent(value -> query.add("since=" + value));
        query.add("limit=" + limit).add("skip=" + skip).add("docs=" + docs);
        return expectOk(send("GET", NAMESPACE + "/activations" + query), "");
    }

    Response getActivation(String id) {
        return expectOk(send("GET", activation(id)), noActivation(id));
    }

    /** The namespace's debug sessions the server remembers, the most recent first. */
    Response debugSessions() {
        return expectOk(send("GET", NAMESPACE + "/debug/sessions"), "");
    }

    Response activationChain(String id) {
        return expectOk(send("GET", activation(id) + "/chain"), noActivation(id));
    }

    Response activationLogs(String id) {
        return expectOk(send("GET", activation(id) + "/logs"), noActivation(id));
    }

    /** Creates a trigger or, with {@code overwrite}, replaces what the body gives of it. */
    Response putTrigger(String name, JsonNode trigger, boolean overwrite) {
        Response response = send("PUT", trigger(name) + "?overwrite=" + overwrite, REQUEST_TIMEOUT, trigger);
        if (response.status() == 409) {
            throw new CliException("a trigger named '" + name + "' exists already - cove trigger update changes it,"
                    + " --overwrite replaces it");
        }
        return expectOk(response, noTrigger(name));
    }

    Response getTrigger(String name) {
        return expectOk(send("GET", trigger(name)), noTrigger(name));
    }

    Response listTriggers(int limit, int skip) {
        return expectOk(send("GET", NAMESPACE + "/triggers?limit=" + limit + "&skip=" + skip), "");
    }

    Response deleteTrigger(String name) {
        return expectOk(send("DELETE", trigger(name)), noTrigger(name));
    }

    /** Fires a trigger: 202 with the trigger's activation id, or 204 when it has no active rule. */
    Response fireTrigger(String name, JsonNode payload) {
        return expectOk(send("POST", trigger(name), REQUEST_TIMEOUT, payload), noTrigger(name));
    }

    /** The dead letters of the trigger's rules with retries, newest first. */
    Response triggerFailures(String name) {
        return expectOk(send("GET", trigger(name) + "/failures"), noTrigger(name));
    }

    /** Delivers a dead letter again: 202 with the new activation's id. */
    Response redeliver(String name, String id) {
        return expectOk(send("POST", trigger(name) + "/failures/" + encode(id), REQUEST_TIMEOUT,
                Json.MAPPER.createObjectNode()), "trigger " + name + " has no failure " + id
                + " (cove trigger failures " + name + " lists them)");
    }

    /**
     * Publishes a message on a topic: 202 with its event id, the trigger activations it fired, and
     * whether it was dropped as a duplicate. {@code headers} carry {@code X-Event-Id} when the caller
     * names the event.
     */
    Response publish(String topic, JsonNode message, Map<String, String> headers) {
        return expectOk(send("POST", NAMESPACE + "/topics/" + encode(topic), REQUEST_TIMEOUT, message, headers), "");
    }

    /** Creates a rule, active; the server's 404 says whether its trigger or its function is missing. */
    Response putRule(String name, JsonNode rule, boolean overwrite) {
        Response response = send("PUT", rule(name) + "?overwrite=" + overwrite, REQUEST_TIMEOUT, rule);
        if (response.status() == 409) {
            throw new CliException("a rule named '" + name + "' exists already - --overwrite replaces it");
        }
        return expectOk(response, "");
    }

    Response setRuleStatus(String name, boolean active) {
        JsonNode body = Json.MAPPER.createObjectNode().put("status", active ? "active" : "inactive");
        return expectOk(send("POST", rule(name), REQUEST_TIMEOUT, body), noRule(name));
    }

    Response getRule(String name) {
        return expectOk(send("GET", rule(name)), noRule(name));
    }

    Response listRules(int limit, int skip) {
        return expectOk(send("GET", NAMESPACE + "/rules?limit=" + limit + "&skip=" + skip), "");
    }

    Response deleteRule(String name) {
        return expectOk(send("DELETE", rule(name)), noRule(name));
    }

    @Override
    public void close() {
        // one connection a request, closed with it: nothing is left open
    }

    static String notFound(String name) {
        return "no function named '" + name + "' (cove list shows what is deployed)";
    }

    static String noApplication(String name) {
        return "no application named '" + name + "' (cove app list shows what is deployed)";
    }

    static String noActivation(String id) {
        return "no activation with id '" + id + "' (cove activations lists the recent ones)";
    }

    static String noTrigger(String name) {
        return "no trigger named '" + name + "' (cove trigger list shows them)";
    }

    static String noRule(String name) {
        return "no rule named '" + name + "' (cove rule list shows them)";
    }

    private static String trigger(String name) {
        return NAMESPACE + "/triggers/" + encode(name);
    }

    private static String rule(String name) {
        return NAMESPACE + "/rules/" + encode(name);
    }

    private static String action(String name) {
        return NAMESPACE + "/actions/" + encode(name);
    }

    private static String application(String name) {
        return NAMESPACE + "/applications/" + encode(name);
    }

    private static String activation(String id) {
        return NAMESPACE + "/activations/" + encode(id);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Response send(String method, String path) {
        return send(method, path, REQUEST_TIMEOUT, null);
    }

    private Response send(String method, String path, Duration timeout, JsonNode body) {
        return send(method, path, timeout, body, Map.of());
    }

    /** One request; {@code body} is JSON to send, or null for none; {@code headers} go with the request's own. */
    private Response send(String method, String path, Duration timeout, JsonNode body, Map<String, String> headers) {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(target.apiHost() + path).toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("the API host " + target.apiHost() + " is no http:// or https:// address");
        }
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("Accept", "application/json");
            connection.setRequestProperty("Content-Type", "application/json");
            target.auth().ifPresent(auth -> connection.setRequestProperty("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8))));
            headers.forEach(connection::setRequestProperty);
            byte[] bytes = body == null ? null : Json.compact(body).getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                connection.setFixedLengthStreamingMode(bytes.length);
                connection.setDoOutput(true);
            }
            connect(connection);
            if (bytes != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            throw new CliException("Cove at " + target.apiHost() + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(connectionFailure(target.apiHost(), e));
        } finally {
            connection.disconnect();
        }
    }

    private void connect(HttpURLConnection connection) throws IOException {
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw new CliException("Cove did not accept a connection at " + target.apiHost() + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s - is it running there?");
        }
    }

    /** What a failure to get an answer means for the user. */
    static String connectionFailure(String apiHost, IOException e) {
        if (causedBy(e, UnknownHostException.class)) {
            return "cannot find the host of " + apiHost + " - check --apihost or COVE_APIHOST";
        }
        if (causedBy(e, ConnectException.class)) {
            return "Cove is not running at " + apiHost + " - start it with ./cove up";
        }
        return "the connection to Cove at " + apiHost + " broke before it answered";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private Response expectOk(Response response, String notFoundMessage) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return response;
        }
        if (status == 401) {
            throw new CliException(target.auth().isPresent()
                    ? "the server refused the credentials - check COVE_AUTH or run ./cove up again"
                    : "no credentials - run ./cove up (it writes the CLI's config) or set COVE_AUTH");
        }
        if (status == 404 && !notFoundMessage.isEmpty()) {
            throw new CliException(notFoundMessage);
        }
        throw new CliException(serverError(response));
    }

    /** The server's error text and the status, e.g. {@code the request is too large (HTTP 413)}. */
    static String serverError(Response response) {
        String error = Json.parse(response.body()).map(body -> Json.text(body, "error")).orElse("");
        if (error.isBlank()) {
            error = "the server answered with an error";
        }
        return Output.oneLine(error) + " (HTTP " + response.status() + ")";
    }
}
