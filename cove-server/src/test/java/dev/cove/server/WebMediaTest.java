package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.server.WebMedia.Extension;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each web extension makes of a result, as OpenWhisk's controller does it. */
class WebMediaTest {

    private static JsonNode json(String text) throws Exception {
        return Exchange.JSON.readTree(text);
    }

    private static String text(WebMedia.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hello.http       | hello       | HTTP",
        "hello.json       | hello       | JSON",
        "hello.html       | hello       | HTML",
        "hello.svg        | hello       | SVG",
        "hello.text       | hello       | TEXT",
        "hello            | hello       | HTTP",
        "hello.xyz        | hello.xyz   | HTTP",
        "a.b.json         | a.b         | JSON",
        "hello.json.http  | hello.json  | HTTP",
        ".json            | .json       | HTTP",
    })
    void aNameSaysItsExtensionOrIsHttp(String segment, String name, Extension extension) {
        assertThat(WebMedia.address(segment)).isEqualTo(new WebMedia.Addressed(name, extension));
    }

    @Test
    void jsonAnswersAnObjectOrArrayPrettyPrinted() throws Exception {
        WebMedia.Answer answer = WebMedia.answer(Extension.JSON, json("{\"foobar\":\"foobar\",\"n\":[1,2]}"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).contains("application/json");
        assertThat(text(answer)).isEqualTo("{\n  \"foobar\": \"foobar\",\n  \"n\": [1, 2]\n}");
        assertThat(text(WebMedia.answer(Extension.JSON, json("[1]")))).isEqualTo("[1]");
        assertThatThrownBy(() -> WebMedia.answer(Extension.JSON, json("\"a string\"")))
                .hasMessage("Response is not valid 'application/json'.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\": \"default text\"}              | default text",
        "{\"body\": \"the body\", \"text\": \"no\"}  | the body",
        "{\"body\": true}                          | true",
        "{\"body\": 1}                             | 1",
        "{\"body\": null}                          | null",
        "{\"body\": [\"a\"]}                        | [\"a\"]",
        "\"a bare string\"                         | a bare string",
    })
    void textTakesTheBodyElseTheTextField(String result, String body) throws Exception {
        WebMedia.Answer answer = WebMedia.answer(Extension.TEXT, json(result));
        assertThat(answer.contentType()).contains("text/plain; charset=UTF-8");
        assertThat(text(answer)).isEqualTo(body);
    }

    @Test
    void textWithoutBodyOrTextIsNotFound() {
        assertThatThrownBy(() -> WebMedia.answer(Extension.TEXT, json("{\"other\": 1}")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("Response does not include requested property.");
    }

    @Test
    void htmlAndSvgTakeTheBodyElseTheirOwnFieldAndMustBeStrings() throws Exception {
        assertThat(text(WebMedia.answer(Extension.HTML, json("{\"html\": \"<p>hi</p>\"}")))).isEqualTo("<p>hi</p>");
        assertThat(WebMedia.answer(Extension.HTML, json("{\"body\": \"<b/>\"}")).contentType())
                .contains("text/html; charset=UTF-8");
        WebMedia.Answer svg = WebMedia.answer(Extension.SVG, json("{\"svg\": \"<svg/>\"}"));
        assertThat(svg.contentType()).contains("image/svg+xml");
        assertThat(text(svg)).isEqualTo("<svg/>");
        assertThatThrownBy(() -> WebMedia.answer(Extension.HTML, json("{\"html\": 3}")))
                .hasMessage("Response is not valid 'text/html'.");
        assertThatThrownBy(() -> WebMedia.answer(Extension.SVG, json("{\"other\": \"x\"}")))
                .hasMessage("Response is not valid 'image/svg+xml'.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                                   | 204",
        "{\"body\": \"\"}                      | 204",
        "{\"body\": null}                      | 204",
        "{\"statusCode\": 201}                 | 201",
        "{\"statusCode\": \"202\"}             | 202",
        "{\"other\": 1}                        | 204",
    })
    void httpWithoutABodyIsEmpty(String result, int status) throws Exception {
        WebMedia.Answer answer = WebMedia.answer(Extension.HTTP, json(result));
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).isEmpty();
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void httpSendsTextAsHtmlJsonAsJsonAndDecodesBinary() throws Exception {
        WebMedia.Answer html = WebMedia.answer(Extension.HTTP, json("{\"body\": \"Plain text\"}"));
        assertThat(html.contentType()).contains("text/html; charset=UTF-8");
        assertThat(text(html)).isEqualTo("Plain text");

        WebMedia.Answer object = WebMedia.answer(Extension.HTTP, json("{\"statusCode\": 201, \"body\": {\"a\": 1}}"));
        assertThat(object.status()).isEqualTo(201);
        assertThat(object.contentType()).contains("application/json");

        WebMedia.Answer jsonString = WebMedia.answer(Extension.HTTP,
                json("{\"headers\": {\"Content-Type\": \"application/json\"}, \"body\": \"{\\\"status\\\":\\\"success\\\"}\"}"));
        assertThat(jsonString.contentType()).contains("application/json");
        assertThat(text(jsonString)).isEqualTo("{\"status\":\"success\"}");
        assertThat(jsonString.headers()).as("the content type is the entity's, not a header").isEmpty();

        String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        WebMedia.Answer binary = WebMedia.answer(Extension.HTTP,
                json("{\"headers\": {\"content-type\": \"image/png\"}, \"body\": \"" + png + "\"}"));
        assertThat(binary.contentType()).contains("image/png");
        assertThat(binary.body()).containsExactly(0x89, 'P', 'N', 'G');
    }

    @Test
    void httpCopiesHeadersOneValueAtATime() throws Exception {
        WebMedia.Answer answer = WebMedia.answer(Extension.HTTP,
                json("{\"headers\": {\"Set-Cookie\": [\"a=b\", \"c=d\"], \"X-N\": 3, \"X-B\": true}, \"statusCode\": 302}"));
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.headers()).containsExactly(Map.entry("Set-Cookie", "a=b"), Map.entry("Set-Cookie", "c=d"),
                Map.entry("X-N", "3"), Map.entry("X-B", "true"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1, 2]                                                           | Response is not valid 'message/http'.",
        "{\"statusCode\": \"abc\"}                                       | Response is not valid 'message/http'.",
        "{\"statusCode\": 1.5}                                           | Response is not valid 'message/http'.",
        "{\"statusCode\": 99}                                            | Response is not valid 'message/http'.",
        "{\"headers\": [1]}                                              | Response is not valid 'message/http'.",
        "{\"headers\": {\"a\": {\"b\": 1}}}                               | Response is not valid 'message/http'.",
        "{\"headers\": {\"content-type\": \"nonsense\"}, \"body\": \"x\"} | Response did not specify a known content-type.",
        "{\"headers\": {\"content-type\": \"image/png\"}, \"body\": \"*\"}| Response type in header did not match generated content type.",
        "{\"headers\": {\"content-type\": \"text/html\"}, \"body\": {}}    | Response type in header did not match generated content type.",
    })
    void httpRefusesWhatIsNoHttpResponse(String result, String message) {
        assertThatThrownBy(() -> WebMedia.answer(Extension.HTTP, json(result)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                                   | text/html; charset=UTF-8 | true",
        "*/*                                | text/html; charset=UTF-8 | true",
        "text/*                             | text/html; charset=UTF-8 | true",
        "text/html                          | text/html; charset=UTF-8 | true",
        "application/json                   | text/html; charset=UTF-8 | false",
        "text/xml                           | text/html; charset=UTF-8 | false",
        "application/json, text/html;q=0.5  | text/html; charset=UTF-8 | true",
        "text/html;q=0                      | text/html; charset=UTF-8 | false",
        "Application/JSON                   | application/json         | true",
        "image/*                            | application/json         | false",
    })
    void theAcceptHeaderMustTakeTheAnswersType(String accept, String contentType, boolean acceptable) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (accept != null) {
            headers.add("Accept", accept);
        }
        assertThat(WebMedia.acceptable(headers, contentType)).isEqualTo(acceptable);
    }
}
