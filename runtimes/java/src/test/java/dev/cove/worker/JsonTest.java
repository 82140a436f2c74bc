package dev.cove.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker's JSON: values as Jackson's defaults give them, any Unicode, and clear refusals. */
class JsonTest {

    private static Object parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonReader.parse(bytes, 0, bytes.length);
    }

    private static String write(Object value) throws NotJson {
        JsonWriter w = new JsonWriter(4);
        w.value(value);
        return new String(w.array(), 0, w.size(), StandardCharsets.UTF_8);
    }

    private static String notJson(Object value) {
        try {
            write(value);
        } catch (NotJson e) {
            return e.getMessage();
        }
        throw new AssertionError("written: " + value);
    }

    @Test
    void wholeNumbersAreTheNarrowestOfIntegerLongAndBigInteger() {
        assertThat(parse("[0,-0,7,-2147483648,2147483647,2147483648,-2147483649,9223372036854775807,"
                + "-9223372036854775808,9223372036854775808,123456789012345678901234567890]"))
                .isEqualTo(List.of(0, 0, 7, Integer.MIN_VALUE, Integer.MAX_VALUE, 2147483648L, -2147483649L,
                        Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("9223372036854775808"),
                        new BigInteger("123456789012345678901234567890")));
        assertThat(((List<?>) parse("[1, 123456789012345678, 1234567890123456789]")).stream().map(Object::getClass))
                .containsExactly(Integer.class, Long.class, Long.class);
    }

    @Test
    void numbersWithAFractionOrAnExponentAreDoubles() {
        assertThat(parse("[1.5,-0.0,1e2,1E-5,2.5e+3,0.1,1e400]"))
                .isEqualTo(List.of(1.5, -0.0, 100.0, 1e-5, 2500.0, 0.1, Double.POSITIVE_INFINITY));
    }

    @Test
    void numbersAreWrittenAsJacksonWritesThem() throws NotJson {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("int", 7);
        value.put("long", 1L << 40);
        value.put("min", Long.MIN_VALUE);
        value.put("short", (short) -3);
        value.put("byte", (byte) 9);
        value.put("double", 0.1);
        value.put("tens", 1e10);
        value.put("whole", 100.0);
        value.put("float", 2.5f);
        value.put("big", new BigInteger("123456789012345678901234567890"));
        value.put("decimal", new BigDecimal("1.50"));
        assertThat(write(value)).isEqualTo("{\"int\":7,\"long\":1099511627776,\"min\":-9223372036854775808,"
                + "\"short\":-3,\"byte\":9,\"double\":0.1,\"tens\":1.0E10,\"whole\":100.0,\"float\":2.5,"
                + "\"big\":123456789012345678901234567890,\"decimal\":1.50}");
    }

    @Test
    void objectsKeepTheirOrderAndARepeatedKeyItsLastValue() {
        Object map = parse(" { \"b\" : 1 , \"a\" : [ true , false , null , { } , [ ] ] , \"b\" : 2 } ");
        assertThat(map).isInstanceOf(LinkedHashMap.class);
        assertThat(new ArrayList<Object>(((Map<?, ?>) map).keySet())).containsExactly("b", "a");
        assertThat(map).isEqualTo(Map.of("b", 2, "a", Arrays.asList(true, false, null, Map.of(), List.of())));
        assertThat(((Map<?, ?>) map).get("a")).isInstanceOf(ArrayList.class);
    }

    @Test
    void stringsSurviveAnyUnicodeBothWays() throws NotJson {
        String text = "plain \"quoted\" back\\slash /\b\f\n\r\t \u0000\u001f\u007f caf\u00e9 \u20ac \u2603 "
                + "\uD83D\uDE00 \uDBFF\uDFFF lone \uD800 and \uDC00.";
        String json = write(text);
        assertThat(json).isEqualTo("\"plain \\\"quoted\\\" back\\\\slash /\\b\\f\\n\\r\\t \\u0000\\u001f\u007f "
                + "caf\u00e9 \u20ac \u2603 \uD83D\uDE00 \uDBFF\uDFFF lone \\ud800 and \\udc00.\"");
        assertThat(parse(json)).isEqualTo(text);
        assertThat(parse("\"\\u00e9\\u20AC\\uD83D\\uDE00\\/\"")).isEqualTo("\u00e9\u20ac\uD83D\uDE00/");
    }

    @Test
    void linesPrintedAsBytesAreWrittenAsStringsEvenWhenNotUtf8() {
        byte[] line = {'a', (byte) 0xC3, (byte) 0xA9, '"', (byte) 0xFF, (byte) 0xE2, (byte) 0x82, '\n',
                (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80};
        JsonWriter w = new JsonWriter(1);
        w.utf8String(line, 0, line.length);
        String json = new String(w.array(), 0, w.size(), StandardCharsets.UTF_8);
        assertThat(parse(json)).isEqualTo("a\u00e9\"\uFFFD\uFFFD\uFFFD\n\uD83D\uDE00");
    }

    @Test
    void whatIsNotJsonIsNamedWithItsPathAsTheInProcessTierNamesIt() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", Arrays.asList(1, 2, new Object()));
        assertThat(notJson(Map.of("a", a))).isEqualTo("a java.lang.Object at $.a.b[2]");
        assertThat(notJson(Map.of("m", Map.of(1, "one")))).isEqualTo("a key that is not a string at $.m");
        assertThat(notJson(Map.of("x", List.of(List.of(Double.NaN))))).isEqualTo("a non-finite number at $.x[0][0]");
        assertThat(notJson(Map.of("x", Float.POSITIVE_INFINITY))).isEqualTo("a non-finite number at $.x");
        assertThat(notJson(Map.of("bytes", new byte[] {1}))).isEqualTo("a [B at $.bytes");
        assertThat(notJson(Set.of(1))).startsWith("a java.util.ImmutableCollections$Set").endsWith(" at $");
    }

    @Test
    void malformedTextIsRefusedSayingWhereAndWhy() {
        assertThat(refusal("{\"a\" 1}")).isEqualTo("Malformed JSON at byte 5: expected ':' after a key, found '1'");
        assertThat(refusal("{\"a\":1,}")).isEqualTo("Malformed JSON at byte 7: expected a key, in double quotes, found '}'");
        assertThat(refusal("[1 2]")).isEqualTo("Malformed JSON at byte 3: expected ',' or ']' after an element, found '2'");
        assertThat(refusal("[01]")).isEqualTo("Malformed JSON at byte 2: expected ',' or ']' after an element, found '1'");
        assertThat(refusal("\"abc")).isEqualTo("Malformed JSON at byte 4: the text ends inside a string");
        assertThat(refusal("\"a\nb\"")).startsWith("Malformed JSON at byte 2: a string can't hold the control character");
        assertThat(refusal("\"\\x\"")).isEqualTo("Malformed JSON at byte 1: \\x is not an escape");
        assertThat(refusal("\"\\u12G4\"")).isEqualTo("Malformed JSON at byte 3: a \\u escape needs four hex digits");
        assertThat(refusal("-")).isEqualTo("Malformed JSON at byte 1: a number needs a digit here");
        assertThat(refusal("1.")).isEqualTo("Malformed JSON at byte 2: a number needs a digit after its decimal point");
        assertThat(refusal("1e")).isEqualTo("Malformed JSON at byte 2: a number needs a digit in its exponent");
        assertThat(refusal("tru")).isEqualTo("Malformed JSON at byte 0: the text ends inside a literal");
        assertThat(refusal("nul1")).isEqualTo("Malformed JSON at byte 0: a value can't start with 'n'");
        assertThat(refusal("{} x")).isEqualTo("Malformed JSON at byte 3: more after the end of the value");
        assertThat(refusal("")).isEqualTo("Malformed JSON at byte 0: the text ends where a value should be");
        assertThat(refusal("[" + "[".repeat(1000) + "]".repeat(1001)))
                .isEqualTo("Malformed JSON at byte 1000: values nest deeper than 1000 levels");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        byte[] cut = {'"', (byte) 0xE2, (byte) 0x82};
        for (byte[] bytes : List.of(overlong, surrogate, cut)) {
            assertThatThrownBy(() -> JsonReader.parse(bytes, 0, bytes.length))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessage("Malformed JSON at byte 1: the bytes are not well-formed UTF-8");
        }
    }

    @Test
    void aReaderParsesPartOfAnArrayAndCanBeReused() {
        byte[] bytes = "xx{\"a\":\"\u00e9\\n\"}\n[1]yy".getBytes(StandardCharsets.UTF_8);
        JsonReader reader = new JsonReader();
        assertThat(reader.read(bytes, 2, 12)).isEqualTo(Map.of("a", "\u00e9\n"));
        assertThat(reader.read(bytes, 15, 3)).isEqualTo(List.of(1));
    }

    @Test
    void aWriterBorrowedAgainIsEmpty() throws NotJson {
        JsonWriter w = JsonWriter.borrow();
        w.value(Map.of("a", 1));
        w.release();
        JsonWriter again = JsonWriter.borrow();
        assertThat(again.size()).isZero();
        again.release();
    }

    private static String refusal(String json) {
        try {
            parse(json);
        } catch (MalformedJsonException e) {
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + json);
    }
}
