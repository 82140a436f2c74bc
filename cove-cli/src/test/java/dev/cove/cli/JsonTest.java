package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @ParameterizedTest(name = "{0} is sent as {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "Ada              | \"Ada\"",
        "42               | 42",
        "-1.5             | -1.5",
        "true             | true",
        "null             | null",
        "`\"quoted\"`     | \"quoted\"",
        "`{\"a\": [1]}`   | {\"a\":[1]}",
        "[1, 2]           | [1,2]",
        "`{not json`      | \"{not json\"",
        "`1 2`            | \"1 2\"",
        "`Hello, world!`  | \"Hello, world!\"",
        "``               | \"\"",
    })
    void aParameterThatParsesAsJsonIsThatJsonElseAString(String text, String sent) {
        JsonNode value = Json.parameterValue(text);

        assertThat(Json.compact(value)).isEqualTo(sent);
    }

    @Test
    void pairsBecomeOneObjectAndALaterKeyWins() {
        assertThat(Json.compact(Json.parameters(List.of("name", "Ada", "age", "36", "name", "Grace"))))
                .isEqualTo("{\"name\":\"Grace\",\"age\":36}");
    }

    @Test
    void prettyJsonIsIndentedWithTwoSpaces() {
        JsonNode node = Json.parse("{\"a\": 1, \"b\": [1, {\"c\": true}], \"d\": {}}").orElseThrow();

        assertThat(Json.pretty(node)).isEqualTo("""
                {
                  "a": 1,
                  "b": [
                    1,
                    {
                      "c": true
                    }
                  ],
                  "d": {}
                }""");
    }

    @Test
    void textOfAFieldIsItsStringOrItsJson() {
        JsonNode node = Json.parse("{\"s\": \"x\", \"n\": 3, \"o\": {\"k\": 1}, \"z\": null}").orElseThrow();

        assertThat(Json.text(node, "s")).isEqualTo("x");
        assertThat(Json.text(node, "n")).isEqualTo("3");
        assertThat(Json.text(node, "o")).isEqualTo("{\"k\":1}");
        assertThat(Json.text(node, "z")).isEmpty();
        assertThat(Json.text(node, "missing")).isEmpty();
    }
}
