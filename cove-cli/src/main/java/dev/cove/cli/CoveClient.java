package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The REST API as the commands use it (docs/rest-api.md). Every failure to get an answer, and every
 * error status a command does not handle itself, becomes a {@link CliException} with one line for a
 * person.
 */
final class CoveClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the longest function timeout (300 s), so the server decides when a blocking call ends. */
    private static final Duration INVOKE_TIMEOUT = Duration.ofMinutes(6);
    private static final String NAMESPACE = "/api/v1/namespaces/_";

    private final Target target;
    private final HttpClient http;

    CoveClient(Target target) {
        this.target = target;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (target.apiHost().startsWith("http:")) {
            plainHttpContext().ifPresent(builder::sslContext);
        }
        this.http = builder.build();
    }

    /**
     * A TLS context that is never used, for a server spoken to in plain HTTP: without one, the client
     * builds the default context and parses the JDK's trust store, some 50-100 ms of every command.
     */
    private static Optional<SSLContext> plainHttpContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
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
     */
    Response putAction(String name, JsonNode action, String file) {
        HttpRequest.Builder request = request(action(name) + "?overwrite=true", REQUEST_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(Json.compact(action)));
        Response response = send(request);
        if (response.status() == 400) {
            throw new CliException(file + ": " + serverError(response));
        }
        return expectOk(response, notFound(name));
    }

    Response putApplication(String name, JsonNode application) {
        return expectOk(send(request(application(name), REQUEST_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(Json.compact(application)))), "");
    }

    Response listApplications() {
        return expectOk(send(request(NAMESPACE + "/applications", REQUEST_TIMEOUT).GET()), "");
    }

    Response getApplication(String name) {
        return expectOk(send(request(application(name), REQUEST_TIMEOUT).GET()), noApplication(name));
    }

    Response deleteApplication(String name) {
        return expectOk(send(request(application(name), REQUEST_TIMEOUT).DELETE()), noApplication(name));
    }

    /** Starts a workflow; a blocking start's 502 (it failed) is an answer: its body is the execution. */
    Response startWorkflow(String application, JsonNode input, boolean blocking) {
        Response response = send(request(application(application) + "/executions?blocking=" + blocking,
                blocking ? INVOKE_TIMEOUT : REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(Json.compact(input))));
        if (blocking && response.status() == 502
                && Json.parse(response.body()).map(body -> body.has("executionId")).orElse(false)) {
            return response;
        }
        return expectOk(response, noApplication(application));
    }

    Response listExecutions(Optional<String> application, int limit) {
        String query = "?limit=" + limit + application.map(a -> "&application=" + encode(a)).orElse("");
        return expectOk(send(request(NAMESPACE + "/executions" + query, REQUEST_TIMEOUT).GET()), "");
    }

    Response getExecution(String id) {
        return expectOk(send(request(NAMESPACE + "/executions/" + encode(id), REQUEST_TIMEOUT).GET()),
                "no workflow execution with id '" + id + "' (cove workflow executions lists the recent ones)");
    }

    Response cacheStats(Optional<String> function) {
        String query = function.map(f -> "?function=" + encode(f)).orElse("");
        return expectOk(send(request(NAMESPACE + "/cache" + query, REQUEST_TIMEOUT).GET()),
                function.map(CoveClient::notFound).orElse(""));
    }

    Response clearCache(String function, boolean application) {
        return expectOk(send(request(NAMESPACE + "/cache/" + encode(function) + "?scope=" + (application ? "app" : "function"),
                REQUEST_TIMEOUT).DELETE()), notFound(function));
    }

    Response listActions(int limit, int skip) {
        return expectOk(send(request(NAMESPACE + "/actions?limit=" + limit + "&skip=" + skip, REQUEST_TIMEOUT)
                .GET()), "");
    }

    Response getAction(String name, boolean code) {
        return expectOk(send(request(action(name) + "?code=" + code, REQUEST_TIMEOUT).GET()), notFound(name));
    }

    Response deleteAction(String name) {
        return expectOk(send(request(action(name), REQUEST_TIMEOUT).DELETE()), notFound(name));
    }

    /**
     * Invokes a function. A blocking call's 502 (the function failed) and 408 (it timed out) are
     * answers, not errors: their body is the activation.
     */
    Response invoke(String name, JsonNode params, boolean blocking) {
        HttpRequest.Builder request = request(action(name) + "?blocking=" + blocking + "&result=false",
                blocking ? INVOKE_TIMEOUT : REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(params)));
        Response response = send(request);
        if (blocking && (response.status() == 502 || response.status() == 408)
                && Json.parse(response.body()).map(body -> body.has("activationId")).orElse(false)) {
            return response;
        }
        return expectOk(response, notFound(name));
    }

    Response listActivations(Optional<String> name, int limit, int skip, boolean docs, Optional<Long> since) {
        StringJoiner query = new StringJoiner("&", "?", "");
        name.ifPresent(value -> query.add("name=" + encode(value)));
        since.ifPresent(value -> query.add("since=" + value));
        query.add("limit=" + limit).add("skip=" + skip).add("docs=" + docs);
        return expectOk(send(request(NAMESPACE + "/activations" + query, REQUEST_TIMEOUT).GET()), "");
    }

    Response getActivation(String id) {
        return expectOk(send(request(activation(id), REQUEST_TIMEOUT).GET()), noActivation(id));
    }

    Response activationChain(String id) {
        return expectOk(send(request(activation(id) + "/chain", REQUEST_TIMEOUT).GET()), noActivation(id));
    }

    Response activationLogs(String id) {
        return expectOk(send(request(activation(id) + "/logs", REQUEST_TIMEOUT).GET()), noActivation(id));
    }

    @Override
    public void close() {
        http.close();
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

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.apiHost() + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
        target.auth().ifPresent(auth -> builder.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8))));
        return builder;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (IOException e) {
            throw new CliException(connectionFailure(target.apiHost(), e));
        }
    }

    /** What a failure to get an answer means for the user. */
    static String connectionFailure(String apiHost, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "Cove did not accept a connection at " + apiHost + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s - is it running there?";
        }
        if (e instanceof HttpTimeoutException) {
            return "Cove at " + apiHost + " did not answer in time";
        }
        if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
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
