package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTest {
    private static final JsonNode INPUT = json("{\"a\": {\"b\": [10, {\"c d\": \"deep\"}]}, \"x.y\": 1}");
    private static final JsonNode CONTEXT = json("{\"Execution\": {\"Id\": \"e\"}}");

    @Test
    void parsesTheStepsOfAReferencePath() {
        assertThat(Path.parse("$").steps()).isEmpty();
        assertThat(Path.parse("$.a.b[1]['c d']").steps()).containsExactly(new Path.Field("a"), new Path.Field("b"),
                new Path.Index(1), new Path.Field("c d"));
        assertThat(Path.parse("$[\"x.y\"]").steps()).containsExactly(new Path.Field("x.y"));
        assertThat(Path.parse("$$.Execution.Id").context()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$.a.b[1]['c d'] | \"deep\"",
            "$.a.b[0] | 10",
            "$['x.y'] | 1",
            "$ | {\"a\": {\"b\": [10, {\"c d\": \"deep\"}]}, \"x.y\": 1}",
            "$$.Execution.Id | \"e\""})
    void readsWhatThePathSelects(String path, String expected) {
        assertThat(Path.parse(path).read(INPUT, CONTEXT, "InputPath")).isEqualTo(json(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"$.nope", "$.a.b[2]", "$.a[0]", "$.a.b.c", "$$.Map.Item"})
    void findsNothingWhereTheInputHasNothing(String path) {
        assertThat(Path.parse(path).find(INPUT, CONTEXT)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a | it does not start with $",
            "$.a.* | \"*\" at character 4 is not supported; paths are $ then .field, ['field'] or [index] steps",
            "$..a | it has an empty field name at character 2",
            "$.a[*] | [*] at character 3 is not a field name in quotes or an index of 0 or more",
            "$.a[-1] | [-1] at character 3 is not a field name in quotes or an index of 0 or more",
            "$.a[0:2] | [0:2] at character 3 is not a field name in quotes or an index of 0 or more",
            "$.a[?(@.b)] | [?(@.b)] at character 3 is not a field name in quotes or an index of 0 or more",
            "$['a | its quoted name at character 2 is not closed by ']",
            "$.a[1 | [1 at character 3 is not a field name in quotes or an index of 0 or more",
            "$.a b | \" \" at character 3 is not supported; paths are $ then .field, ['field'] or [index] steps",
            "$x | \"x\" at character 1 is not supported; paths are $ then .field, ['field'] or [index] steps"})
    void refusesWhatItDoesNotSupport(String path, String message) {
        assertThatThrownBy(() -> Path.parse(path)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void writesIntoACopyCreatingObjectsOnTheWay() {
        JsonNode input = json("{\"keep\": 1, \"a\": {\"other\": 2}}");
        JsonNode written = Path.parse("$.a.b.c").write(input, json("[3]"), "ResultPath");
        assertThat(written).isEqualTo(json("{\"keep\": 1, \"a\": {\"other\": 2, \"b\": {\"c\": [3]}}}"));
        assertThat(input).isEqualTo(json("{\"keep\": 1, \"a\": {\"other\": 2}}"));
        assertThat(Path.ROOT.write(input, json("7"), "ResultPath")).isEqualTo(json("7"));
    }

    @Test
    void refusesToWriteIntoWhatIsNotAnObject() {
        assertThatThrownBy(() -> Path.parse("$.a").write(json("[1]"), json("1"), "ResultPath"))
                .isInstanceOf(Fault.class)
                .hasMessage("ResultPath \"$.a\" can't be written into an array, only into an object");
    }

    @Test
    void onlyFieldPathsCanBeWritten() {
        assertThat(List.of("$.a.b", "$['a b']", "$").stream().map(Path::parse).allMatch(Path::onlyFields)).isTrue();
        assertThat(Path.parse("$.a[0]").onlyFields()).isFalse();
    }
}
