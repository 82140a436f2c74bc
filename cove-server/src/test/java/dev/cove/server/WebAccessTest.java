package dev.cove.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may call a web action, and its default CORS headers, as OpenWhisk's controller decides them. */
class WebAccessTest {

    private static ArrayNode annotated(String key, String jsonValue) throws Exception {
        ArrayNode annotations = Exchange.JSON.createArrayNode();
        annotations.addObject().put("key", "other").put("value", true);
        if (!key.isEmpty()) {
            annotations.addObject().put("key", key).set("value", Exchange.JSON.readTree(jsonValue));
        }
        return annotations;
    }

    @ParameterizedTest(name = "require-whisk-auth {0}, header {1}, key {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "-          | -        | false | true",
        "false      | -        | false | true",
        "true       | -        | false | false",
        "true       | -        | true  | true",
        "true       | true     | false | false",
        "'\"abc\"'  | abc      | false | true",
        "'\"abc\"'  | abc-bad  | false | false",
        "'\"abc\"'  | -        | true  | false",
        "'\"abc\"'  | ABC      | false | false",
        "42         | 42       | false | true",
        "42         | 43       | false | false",
        "null       | -        | true  | false",
        "{}         | {}       | true  | false",
        "'[\"abc\"]'| abc      | true  | false",
    })
    void requireWhiskAuthAdmits(String value, String header, boolean authenticated, boolean admitted) throws Exception {
        ArrayNode annotations = value == null ? annotated("", "") : annotated(WebAccess.REQUIRE_AUTH, value);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (header != null) {
            headers.add("X-Require-Whisk-Auth", header);
        }
        assertThat(WebAccess.admits(WebAccess.requirement(annotations), headers, () -> authenticated))
                .isEqualTo(admitted);
    }

    @Test
    void aKeyIsCheckedOnlyWhenTheFunctionAsksForOne() throws Exception {
        assertThat(WebAccess.admits(WebAccess.requirement(annotated("", "")), MultiMap.caseInsensitiveMultiMap(), () -> {
            throw new AssertionError("asked for a key");
        })).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"true | true", "false | false", "'\"true\"' | false", "1 | false"})
    void onlyABooleanTrueWebCustomOptionsHandsOptionsToTheFunction(String value, boolean custom) throws Exception {
        assertThat(WebAccess.customOptions(annotated(WebAccess.CUSTOM_OPTIONS, value))).isEqualTo(custom);
        assertThat(WebAccess.customOptions(annotated("", ""))).isFalse();
    }

    @Test
    void corsHeadersEchoTheRequestedHeadersOrNameTheDefaults() {
        assertThat(WebAccess.corsHeaders(MultiMap.caseInsensitiveMultiMap())).containsExactly(
                Map.entry("Access-Control-Allow-Origin", "*"),
                Map.entry("Access-Control-Allow-Methods", "OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH"),
                Map.entry("Access-Control-Allow-Headers",
                        "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent"));
        List<Map.Entry<String, String>> echoed = WebAccess.corsHeaders(
                MultiMap.caseInsensitiveMultiMap().add("Access-Control-Request-Headers", "x-a, x-b"));
        assertThat(echoed.get(2)).isEqualTo(Map.entry("Access-Control-Allow-Headers", "x-a, x-b"));
    }
}
