package dev.cove.server;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodiesTest {
    /** Words of the parser's own that once reached callers. */
    private static final List<String> PARSER_WORDS = List.of("Source", "REDACTED", "Feature", "jackson", "token",
            "code 1", "marker", "end-of-input", "JsonNode");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":                 | the JSON ends before it is complete (an object, an array or a string is not closed) at line 1, column 6.",
        "[1, 2                   | the JSON ends before it is complete (an object, an array or a string is not closed) at line 1, column 6.",
        "{\"a\":1,}              | unexpected '}' at line 1, column 8.",
        "{\"a\":1]               | unexpected ']' at line 1, column 7.",
        "{'a':1}                 | unexpected ''' at line 1, column 2.",
        "{\"a\" 1}               | unexpected '1' at line 1, column 6.",
        "{\"a\": tru}            | unexpected 't' at line 1, column 7.",
        "{\"a\":1}\\n  x         | unexpected 'x' at line 2, column 3.",
        "{\"a\":1} {}            | more follows the JSON value at line 1, column 9.",
    })
    void aMalformedBodySaysWhatIsWrongAndWhereInWordsOfItsOwn(String body, String problem) {
        String text = body.trim().replace("\\n", "\n");
        assertThatThrownBy(() -> JsonBodies.read(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(Messages.MALFORMED + problem);
                });
    }

    @Test
    void noMessageHasTheParsersWords() {
        String[] bodies = {"{\"a\":", "{\"a\":\"x\n\"}", "{\"a\": 01}", "{\"a\": \"\\q\"}", "\u00ff{", "[1,2", "{]", "nul"};
        for (String body : bodies) {
            byte[] bytes = body.equals("\u00ff{") ? new byte[] {(byte) 0xff, '{'} : body.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> JsonBodies.read(bytes)).as(body).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.getMessage()).startsWith(Messages.MALFORMED).containsPattern("at line \\d+, column \\d+\\.$");
                PARSER_WORDS.forEach(word -> assertThat(e.getMessage()).as(body).doesNotContainIgnoringCase(word));
            });
        }
    }

    @Test
    void aBodyThatIsNotAnObjectWhereOneIsExpectedSaysSo() throws ApiError {
        assertThatThrownBy(() -> Exchange.jsonObject(Buffer.buffer("[1]"))).hasMessage(Messages.MALFORMED
                + "the body must be a JSON object.");
        assertThat(Exchange.jsonObject(Buffer.buffer(""))).isEmpty();
        assertThat(Exchange.jsonObject(Buffer.buffer("{\"a\":1}")).path("a").asInt()).isEqualTo(1);
    }
}
