package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every comparison operator, its Path variant, and And, Or, Not. */
class ChoiceRuleTest {
    private static final JsonNode INPUT = json("""
            {"s": "banana", "n": 5, "f": 2.5, "t": true, "nil": null,
             "ts": "2026-03-01T12:00:00Z", "other": {"s": "apple", "n": 5.0, "t": true, "ts": "2026-03-01T13:00:00+01:00"},
             "star": "a*b", "slash": "a\\\\b"}""");

    private static boolean test(String rule) throws InvalidWorkflowException {
        return ChoiceRule.parse(Fields.of(json(rule), "rule", "it"), false).test(INPUT, json("{\"State\": {\"Name\": \"C\"}}"));
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("{\"Variable\": \"$.s\", \"StringEquals\": \"banana\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringEquals\": \"Banana\"}", false),
                Arguments.of("{\"Variable\": \"$.s\", \"StringLessThan\": \"cherry\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringGreaterThan\": \"cherry\"}", false),
                Arguments.of("{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"banana\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"banana\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringGreaterThanPath\": \"$.other.s\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringEqualsPath\": \"$.other.s\"}", false),
                Arguments.of("{\"Variable\": \"$.s\", \"StringLessThanPath\": \"$.other.s\"}", false),
                Arguments.of("{\"Variable\": \"$.s\", \"StringLessThanEqualsPath\": \"$.s\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringGreaterThanEqualsPath\": \"$.other.s\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringMatches\": \"b*n*a\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringMatches\": \"*nan*\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringMatches\": \"ban\"}", false),
                Arguments.of("{\"Variable\": \"$.star\", \"StringMatches\": \"a\\\\*b\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringMatches\": \"b\\\\*\"}", false),
                Arguments.of("{\"Variable\": \"$.slash\", \"StringMatches\": \"a\\\\\\\\b\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"StringMatches\": \"b.n.n.\"}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"StringEquals\": \"5\"}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericEquals\": 5}", true),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericEquals\": 5.0}", true),
                Arguments.of("{\"Variable\": \"$.f\", \"NumericLessThan\": 3}", true),
                Arguments.of("{\"Variable\": \"$.f\", \"NumericGreaterThan\": 3}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 5}", true),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 6}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.other.n\"}", true),
                Arguments.of("{\"Variable\": \"$.f\", \"NumericLessThanPath\": \"$.n\"}", true),
                Arguments.of("{\"Variable\": \"$.f\", \"NumericGreaterThanPath\": \"$.n\"}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericLessThanEqualsPath\": \"$.other.n\"}", true),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericGreaterThanEqualsPath\": \"$.f\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"NumericEquals\": 5}", false),
                Arguments.of("{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.s\"}", false),
                Arguments.of("{\"Variable\": \"$.t\", \"BooleanEquals\": true}", true),
                Arguments.of("{\"Variable\": \"$.t\", \"BooleanEquals\": false}", false),
                Arguments.of("{\"Variable\": \"$.t\", \"BooleanEqualsPath\": \"$.other.t\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"BooleanEquals\": true}", false),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampEquals\": \"2026-03-01T13:00:00+01:00\"}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampLessThan\": \"2026-03-01T12:00:01Z\"}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampGreaterThan\": \"2026-03-01T12:00:01Z\"}", false),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampLessThanEquals\": \"2026-03-01T12:00:00Z\"}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampGreaterThanEquals\": \"2026-03-02T00:00:00Z\"}", false),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampEqualsPath\": \"$.other.ts\"}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampLessThanPath\": \"$.other.ts\"}", false),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampGreaterThanPath\": \"$.other.ts\"}", false),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampLessThanEqualsPath\": \"$.other.ts\"}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"TimestampGreaterThanEqualsPath\": \"$.other.ts\"}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"TimestampEquals\": \"2026-03-01T12:00:00Z\"}", false),
                Arguments.of("{\"Variable\": \"$.nil\", \"IsNull\": true}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"IsNull\": true}", false),
                Arguments.of("{\"Variable\": \"$.nope\", \"IsPresent\": false}", true),
                Arguments.of("{\"Variable\": \"$.nil\", \"IsPresent\": true}", true),
                Arguments.of("{\"Variable\": \"$.f\", \"IsNumeric\": true}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"IsNumeric\": false}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"IsString\": true}", true),
                Arguments.of("{\"Variable\": \"$.t\", \"IsBoolean\": true}", true),
                Arguments.of("{\"Variable\": \"$.ts\", \"IsTimestamp\": true}", true),
                Arguments.of("{\"Variable\": \"$.s\", \"IsTimestamp\": true}", false),
                Arguments.of("{\"Variable\": \"$$.State.Name\", \"StringEquals\": \"C\"}", true),
                Arguments.of("{\"And\": [{\"Variable\": \"$.n\", \"IsNumeric\": true}, {\"Variable\": \"$.t\", "
                        + "\"BooleanEquals\": true}]}", true),
                Arguments.of("{\"And\": [{\"Variable\": \"$.n\", \"IsNumeric\": true}, {\"Variable\": \"$.t\", "
                        + "\"BooleanEquals\": false}]}", false),
                Arguments.of("{\"Or\": [{\"Variable\": \"$.n\", \"IsString\": true}, {\"Variable\": \"$.t\", "
                        + "\"BooleanEquals\": true}]}", true),
                Arguments.of("{\"Or\": [{\"Variable\": \"$.n\", \"IsString\": true}]}", false),
                Arguments.of("{\"Not\": {\"Variable\": \"$.n\", \"IsString\": true}}", true),
                Arguments.of("{\"Not\": {\"Or\": [{\"And\": [{\"Variable\": \"$.n\", \"NumericEquals\": 5}]}]}}", false));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void evaluates(String rule, boolean expected) throws Exception {
        assertThat(test(rule)).as(rule).isEqualTo(expected);
    }

    @Test
    void aVariableThatMatchesNothingFailsTheStateWithStatesRuntime() {
        assertThatThrownBy(() -> test("{\"Variable\": \"$.nope\", \"StringEquals\": \"x\"}"))
                .isInstanceOf(Fault.class)
                .hasMessage("Choice rule Variable \"$.nope\" matches nothing in the input")
                .satisfies(fault -> assertThat(((Fault) fault).failure().error()).contains("States.Runtime"));
        assertThatThrownBy(() -> test("{\"Variable\": \"$.s\", \"StringEqualsPath\": \"$.nope\"}"))
                .hasMessage("Choice rule operand path \"$.nope\" matches nothing in the input");
    }

    @Test
    void everyOperatorButTypeTestsAndStringMatchesHasAPathVariant() {
        assertThat(ChoiceRule.FIELDS).contains("StringEqualsPath", "TimestampGreaterThanEqualsPath", "BooleanEqualsPath")
                .doesNotContain("StringMatchesPath", "IsNullPath");
    }
}
