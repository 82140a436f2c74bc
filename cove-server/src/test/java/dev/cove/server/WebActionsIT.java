package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenWhisk's web action route, {@code /api/v1/web/NS/PKG/NAME.EXT}, over real HTTP: the extensions,
 * the package segment, content negotiation and the errors, as OpenWhisk's own web action tests expect.
 */
class WebActionsIT {
    /** Answers what the request asks for in {@code shape}, or the request itself. */
    static final String SHAPES = """
            function main(p) {
              switch (p.shape) {
                case 'text': return {body: 'Plain text'};
                case 'html': return {html: '<p>hi</p>'};
                case 'svg': return {svg: '<svg/>'};
                case 'say': return {text: 'said'};
                case 'redirect': return {headers: {location: 'http://example.org'}, statusCode: 302};
                case 'fail': return {error: {statusCode: 418, body: 'a teapot'}};
                case 'failFlat': return {error: 'flat'};
                case 'crash': throw new Error('boom');
                default: return p;
              }
            }""";

    @TempDir
    static Path dir;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir).withStemCellsPerRuntime(1));
        assertThat(cove.deploy("shapes", "nodejs:default", SHAPES, TestCove.object()).status()).isEqualTo(200);
        deployAnnotated("keyed", "require-whisk-auth", TestCove.JSON.getNodeFactory().booleanNode(true));
        deployAnnotated("secret", "require-whisk-auth", TestCove.JSON.getNodeFactory().textNode("s3cret"));
        deployAnnotated("numbered", "require-whisk-auth", TestCove.JSON.getNodeFactory().numberNode(42));
        deployAnnotated("ownOptions", "web-custom-options", TestCove.JSON.getNodeFactory().booleanNode(true));
    }

    /** Deploys {@code SHAPES} as {@code name} with one annotation. */
    private static void deployAnnotated(String name, String key, JsonNode value) throws Exception {
        ObjectNode extra = TestCove.object();
        extra.putArray("annotations").addObject().put("key", key).set("value", value);
        assertThat(cove.deploy(name, "nodejs:default", SHAPES, extra).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    static TestCove.Answer web(String path, String... headers) throws Exception {
        return send("GET", "/api/v1/web/" + path, headers);
    }

    static TestCove.Answer send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cove.server.apiHost() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return cove.send(request.method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonAnswersTheWholeResultAndTheRestOfThePathIsOwPath() throws Exception {
        TestCove.Answer answer = web("guest/default/shapes.json/a/b?name=Jane");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("content-type")).isEqualTo("application/json");
        assertThat(answer.header("x-openwhisk-activation-id")).hasSize(32);
        JsonNode result = answer.json();
        assertThat(result.path("name").asText()).isEqualTo("Jane");
        assertThat(result.path("__ow_method").asText()).isEqualTo("get");
        assertThat(result.path("__ow_path").asText()).isEqualTo("/a/b");
        assertThat(web("guest/default/shapes.json/").json().path("__ow_path").asText()).isEqualTo("/");
        assertThat(web("_/default/shapes.json").json().path("__ow_path").asText()).isEmpty();
    }

    @Test
    void eachExtensionProjectsItsOwnField() throws Exception {
        TestCove.Answer html = web("guest/default/shapes.html?shape=html");
        assertThat(html.header("content-type")).isEqualTo("text/html; charset=UTF-8");
        assertThat(html.raw().body()).isEqualTo("<p>hi</p>");
        TestCove.Answer svg = web("guest/default/shapes.svg?shape=svg");
        assertThat(svg.header("content-type")).isEqualTo("image/svg+xml");
        assertThat(svg.raw().body()).isEqualTo("<svg/>");
        TestCove.Answer text = web("guest/default/shapes.text?shape=say");
        assertThat(text.header("content-type")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(text.raw().body()).isEqualTo("said");
        TestCove.Answer missing = web("guest/default/shapes.text");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).isEqualTo("Response does not include requested property.");
        TestCove.Answer notHtml = web("guest/default/shapes.html");
        assertThat(notHtml.status()).isEqualTo(400);
        assertThat(notHtml.json().path("error").asText()).isEqualTo("Response is not valid 'text/html'.");
    }

    @Test
    void httpIsTheDefaultAndAResultWithoutBodyIsEmpty() throws Exception {
        TestCove.Answer plain = web("guest/default/shapes.http?shape=text");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("content-type")).isEqualTo("text/html; charset=UTF-8");
        assertThat(plain.raw().body()).isEqualTo("Plain text");
        TestCove.Answer redirect = web("guest/default/shapes?shape=redirect");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("location")).isEqualTo("http://example.org");
        TestCove.Answer noBody = web("guest/default/shapes.http");
        assertThat(noBody.status()).as("a result with no body, not even an HTTP one").isEqualTo(204);
        assertThat(noBody.raw().body()).isEmpty();
    }

    @Test
    void aBodyTheAcceptHeaderRefusesIs406() throws Exception {
        TestCove.Answer refused = web("guest/default/shapes.http?shape=text", "accept", "application/json");
        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.json().path("error").asText())
                .isEqualTo("Resource representation is only available with these types:\ntext/html; charset=UTF-8");
        assertThat(web("guest/default/shapes.html?shape=html", "accept", "text/xml").status()).isEqualTo(406);
        assertThat(web("guest/default/shapes.http?shape=text", "accept", "text/*").status()).isEqualTo(200);
        assertThat(web("guest/default/shapes.http?shape=redirect", "accept", "application/json").status())
                .as("an empty answer has nothing to negotiate").isEqualTo(302);
    }

    @Test
    void anApplicationErrorAnswersItsErrorFieldAndAnyOtherFailureIs400() throws Exception {
        TestCove.Answer teapot = web("guest/default/shapes.http?shape=fail");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.raw().body()).isEqualTo("a teapot");
        TestCove.Answer flat = web("guest/default/shapes.json?shape=failFlat");
        assertThat(flat.status()).isEqualTo(400);
        assertThat(flat.json().path("error").asText()).isEqualTo("Response is not valid 'application/json'.");
        TestCove.Answer crash = web("guest/default/shapes.json?shape=crash");
        assertThat(crash.status()).isEqualTo(400);
        assertThat(crash.json().path("error").asText()).isEqualTo("There was an error processing your request.");
        assertThat(crash.header("x-openwhisk-activation-id")).hasSize(32);
    }

    @Test
    void theRequestMayNotSetTheParametersThatDescribeIt() throws Exception {
        TestCove.Answer query = web("guest/default/shapes.json?__ow_method=put");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.json().path("error").asText())
                .isEqualTo("Request defines parameters that are not allowed (e.g., reserved properties).");
        TestCove.Answer body = cove.send(HttpRequest.newBuilder(
                URI.create(cove.server.apiHost() + "/api/v1/web/guest/default/shapes.json"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"__ow_headers\": {}}")));
        assertThat(body.status()).isEqualTo(400);
    }

    @Test
    void aPackageOtherThanDefaultIsAnApplication() throws Exception {
        TestCove.Answer deployed = cove.put("/api/v1/namespaces/_/applications/site", ApplicationsIT.app(
                ApplicationsIT.function("page", "nodejs:default", "function main() { return {html: '<h1>site</h1>'}; }")));
        assertThat(deployed.status()).as(deployed.json().toString()).isEqualTo(200);
        assertThat(web("guest/site/page.html").raw().body()).isEqualTo("<h1>site</h1>");
        assertThat(web("guest/default/page.html").raw().body()).isEqualTo("<h1>site</h1>");
        assertThat(web("guest/other/page.html").status()).isEqualTo(404);
        assertThat(web("guest/site/shapes.json").status()).as("shapes is not in site").isEqualTo(404);
        assertThat(web("guest/default/nothere.json").status()).isEqualTo(404);
        assertThat(web("guest/default/shapes.xyz").status()).as("no function shapes.xyz").isEqualTo(404);
    }

    @Test
    void requireWhiskAuthTrueAsksForAValidKeyOnBothWebRoutes() throws Exception {
        for (String path : new String[] {"/api/v1/web/guest/default/keyed.json", "/fn/keyed"}) {
            TestCove.Answer anonymous = send("GET", path);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.json().path("error").asText())
                    .isEqualTo("Authentication is possible but has failed or not yet been provided.");
            assertThat(send("GET", path, "authorization", basic("nobody:wrong")).status()).as(path).isEqualTo(401);
            TestCove.Answer keyed = send("GET", path, "authorization", basic(cove.server.guestAuth()));
            assertThat(keyed.status()).as(path).isEqualTo(200);
            assertThat(keyed.json().path("__ow_method").asText()).isEqualTo("get");
            assertThat(keyed.json().path("__ow_user").asText()).as("whose key it was").isEqualTo("guest");
        }
        TestCove.Answer bySecret = web("guest/default/secret.json", "x-require-whisk-auth", "s3cret");
        assertThat(bySecret.json().has("__ow_user")).as("a secret names no one").isFalse();
    }

    @Test
    void requireWhiskAuthAValueAsksForTheSameXRequireWhiskAuthHeader() throws Exception {
        assertThat(web("guest/default/secret.json").status()).isEqualTo(401);
        assertThat(web("guest/default/secret.json", "x-require-whisk-auth", "s3cret-bad").status()).isEqualTo(401);
        assertThat(web("guest/default/secret.json", "authorization", basic(cove.server.guestAuth())).status())
                .as("a key is not the secret").isEqualTo(401);
        assertThat(web("guest/default/secret.json", "x-require-whisk-auth", "s3cret").status()).isEqualTo(200);
        assertThat(send("POST", "/fn/secret", "x-require-whisk-auth", "s3cret").status()).isEqualTo(200);
        assertThat(send("POST", "/fn/secret").status()).isEqualTo(401);
        assertThat(web("guest/default/numbered.json", "x-require-whisk-auth", "42").status()).isEqualTo(200);
        assertThat(web("guest/default/numbered.json", "x-require-whisk-auth", "43").status()).isEqualTo(401);
    }

    @Test
    void optionsIsAnsweredWithDefaultCorsHeadersWithoutInvokingOrCredentials() throws Exception {
        for (String name : new String[] {"shapes", "secret", "keyed"}) {
            TestCove.Answer options = send("OPTIONS", "/api/v1/web/guest/default/" + name + ".json");
            assertThat(options.status()).as(name).isEqualTo(200);
            assertThat(options.raw().body()).isEmpty();
            assertThat(options.header("x-openwhisk-activation-id")).as("not invoked").isNull();
            assertThat(options.header("access-control-allow-origin")).isEqualTo("*");
            assertThat(options.header("access-control-allow-methods"))
                    .isEqualTo("OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH");
            assertThat(options.header("access-control-allow-headers"))
                    .isEqualTo("Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent");
        }
        TestCove.Answer echoed = send("OPTIONS", "/api/v1/web/guest/default/shapes.json",
                "access-control-request-headers", "x-custom, content-type");
        assertThat(echoed.header("access-control-allow-headers")).isEqualTo("x-custom, content-type");
    }

    @Test
    void otherAnswersCarryTheDefaultCorsHeadersErrorsAndRefusalsIncluded() throws Exception {
        assertThat(web("guest/default/shapes.json").header("access-control-allow-origin")).isEqualTo("*");
        TestCove.Answer crash = web("guest/default/shapes.json?shape=crash");
        assertThat(crash.status()).isEqualTo(400);
        assertThat(crash.header("access-control-allow-methods")).isEqualTo("OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH");
        TestCove.Answer refused = web("guest/default/secret.json");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("access-control-allow-origin")).isEqualTo("*");
        assertThat(web("guest/default/nothere.json").header("access-control-allow-origin"))
                .as("no function, no CORS, as in OpenWhisk").isNull();
        assertThat(send("GET", "/fn/shapes").header("access-control-allow-origin"))
                .as("Cove's own route answers as the function says").isNull();
    }

    @Test
    void webCustomOptionsLetsTheFunctionAnswerOptionsWithItsOwnHeaders() throws Exception {
        TestCove.Answer options = send("OPTIONS", "/api/v1/web/guest/default/ownOptions.http?shape=redirect");
        assertThat(options.status()).isEqualTo(302);
        assertThat(options.header("location")).isEqualTo("http://example.org");
        assertThat(options.header("x-openwhisk-activation-id")).hasSize(32);
        assertThat(options.header("access-control-allow-origin")).isNull();
        TestCove.Answer get = web("guest/default/ownOptions.json");
        assertThat(get.json().path("__ow_method").asText()).isEqualTo("get");
        assertThat(get.header("access-control-allow-origin")).isNull();
        assertThat(send("OPTIONS", "/api/v1/web/guest/default/ownOptions.json").json().path("__ow_method").asText())
                .isEqualTo("options");
    }
}
