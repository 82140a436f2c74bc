package dev.cove.core.workflow;

import static dev.cove.core.workflow.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParseTest {

    /** A one-state machine around this state, named "S". */
    private static String one(String state) {
        return "{\"StartAt\": \"S\", \"States\": {\"S\": " + state + "}}";
    }

    /** "S" (the state under test) then "Done". */
    private static String two(String state) {
        return "{\"StartAt\": \"S\", \"States\": {\"S\": " + state + ", \"Done\": {\"Type\": \"Succeed\"}}}";
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[]", "A workflow definition must be a JSON object, was an array"),
                Arguments.of("""
                        {"StartAt": "Begin", "States": {"S": {"Type": "Succeed"}}}""",
                        "StartAt names \"Begin\", which is not a state"),
                Arguments.of("{\"States\": {\"S\": {\"Type\": \"Succeed\"}}}", "field \"StartAt\" is missing"),
                Arguments.of("{\"StartAt\": \"S\", \"States\": {}}", "States is empty"),
                Arguments.of("""
                        {"StartAt": "S", "Sates": {}}""", "unknown field \"Sates\" (did you mean \"States\"?)"),
                Arguments.of("""
                        {"StartAt": "S", "TimeoutSeconds": 0, "States": {"S": {"Type": "Succeed"}}}""",
                        "TimeoutSeconds must be an integer >= 1, was 0"),
                Arguments.of("""
                        {"StartAt": "Fetch", "States": {
                          "Fetch": {"Type": "Task", "Resource": "get", "Next": "Fetchh"},
                          "Fetched": {"Type": "Succeed"}}}""",
                        "state \"Fetch\": Next names \"Fetchh\", which is not a state (did you mean \"Fetch\"?)"),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"f\"}"), "state \"S\" has neither Next nor End"),
                Arguments.of(two("{\"Type\": \"Pass\", \"Next\": \"Done\", \"End\": true}"),
                        "state \"S\" has both Next and End"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": false}"),
                        "state \"S\": End must be true, was false; leave it out and give Next"),
                Arguments.of(one("{\"Type\": \"Tsk\", \"End\": true}"), "state \"S\": unknown Type \"Tsk\"; the types "
                        + "are Task, Pass, Choice, Wait, Succeed, Fail, Parallel and Map"),
                Arguments.of(one("{\"End\": true}"), "state \"S\": field \"Type\" is missing"),
                Arguments.of(one("{\"Type\": \"Task\", \"End\": true}"), "state \"S\": field \"Resource\" is missing"),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"\", \"End\": true}"),
                        "state \"S\": Resource must be a non-empty string, was \"\""),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"f\", \"End\": true, \"Retyr\": []}"),
                        "state \"S\": unknown field \"Retyr\" (did you mean \"Retry\"?)"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"Resource\": \"f\"}"),
                        "state \"S\": field \"Resource\" is not allowed in a Pass state"),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"f\", \"End\": true, \"HeartbeatSeconds\": 5}"),
                        "state \"S\": field \"HeartbeatSeconds\" is not supported"),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"f\", \"End\": true, \"TimeoutSeconds\": 0}"),
                        "state \"S\": TimeoutSeconds must be an integer >= 1, was 0"),
                Arguments.of(one("{\"Type\": \"Task\", \"Resource\": \"f\", \"End\": true, \"TimeoutSeconds\": 1.5}"),
                        "state \"S\": TimeoutSeconds must be an integer >= 1, was 1.5"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"MaxAttempts\": -1}]")),
                        "state \"S\": Retry 1: MaxAttempts must be an integer >= 0, was -1"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"BackoffRate\": 0.5}]")),
                        "state \"S\": Retry 1: BackoffRate must be a number >= 1.0, was 0.5"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"IntervalSeconds\": 0}]")),
                        "state \"S\": Retry 1: IntervalSeconds must be an integer >= 1, was 0"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": []}]")),
                        "state \"S\": Retry 1: ErrorEquals must be a non-empty array, was []"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\", \"E\"]}]")),
                        "state \"S\": Retry 1: States.ALL must be alone in its ErrorEquals"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, {\"ErrorEquals\": [\"E\"]}]")),
                        "state \"S\": Retry 1: States.ALL must be in the last entry of its list"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"States.Timout\"]}]")),
                        "state \"S\": Retry 1: ErrorEquals names \"States.Timout\", which is not an error name ASL defines"),
                Arguments.of(one(task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"MaxAtempts\": 2}]")),
                        "state \"S\": Retry 1: unknown field \"MaxAtempts\" (did you mean \"MaxAttempts\"?)"),
                Arguments.of(one(task("\"Catch\": [{\"ErrorEquals\": [\"E\"], \"Next\": \"Nowhere\"}]")),
                        "state \"S\": Catch 1: Next names \"Nowhere\", which is not a state"),
                Arguments.of(one(task("\"Catch\": [{\"ErrorEquals\": [\"States.ALL\"]}]")),
                        "state \"S\": Catch 1: field \"Next\" is missing"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"InputPath\": \"$.a[*]\"}"),
                        "state \"S\": InputPath \"$.a[*]\" is not a path Cove supports: [*] at character 3 is not a "
                                + "field name in quotes or an index of 0 or more"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"OutputPath\": \"$..a\"}"),
                        "state \"S\": OutputPath \"$..a\" is not a path Cove supports: it has an empty field name at "
                                + "character 2"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"InputPath\": \"a.b\"}"),
                        "state \"S\": InputPath \"a.b\" is not a path Cove supports: it does not start with $"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"InputPath\": \"$.a[-1]\"}"),
                        "state \"S\": InputPath \"$.a[-1]\" is not a path Cove supports: [-1] at character 3 is not a "
                                + "field name in quotes or an index of 0 or more"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"ResultPath\": \"$.a[0]\"}"),
                        "state \"S\": ResultPath \"$.a[0]\" can only name fields of the input, like $.a.b or $['a b']"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"ResultPath\": 3}"),
                        "state \"S\": ResultPath must be a path string, was 3"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"Parameters\": {\"a.$\": 3}}"),
                        "state \"S\": Parameters field \"a.$\" must be a path string, was a number"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"Parameters\": {\"a\": {\"b.$\": \"$.x*\"}}}"),
                        "state \"S\": Parameters field \"b.$\" is not a path Cove supports: \"$.x*\": \"*\" at "
                                + "character 3 is not supported; paths are $ then .field, ['field'] or [index] steps"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"Parameters\": {\"a.$\": \"States.Format('{}', $.x)\"}}"),
                        "state \"S\": Parameters field \"a.$\" calls States.Format('{}', $.x): intrinsic functions "
                                + "are not supported"),
                Arguments.of(one("{\"Type\": \"Pass\", \"End\": true, \"Parameters\": [1]}"),
                        "state \"S\": Parameters must be an object, was an array"),
                Arguments.of(one("{\"Type\": \"Wait\", \"End\": true}"), "state \"S\": a Wait state needs exactly one "
                        + "of Seconds, Timestamp, SecondsPath and TimestampPath, has none"),
                Arguments.of(one("{\"Type\": \"Wait\", \"End\": true, \"Seconds\": 1, \"SecondsPath\": \"$.s\"}"),
                        "state \"S\": a Wait state needs exactly one of Seconds, Timestamp, SecondsPath and "
                                + "TimestampPath, has Seconds, SecondsPath"),
                Arguments.of(one("{\"Type\": \"Wait\", \"End\": true, \"Seconds\": -1}"),
                        "state \"S\": Seconds must be an integer >= 0, was -1"),
                Arguments.of(one("{\"Type\": \"Wait\", \"End\": true, \"Timestamp\": \"tomorrow\"}"),
                        "state \"S\": Timestamp must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", "
                                + "was \"tomorrow\""),
                Arguments.of(one("{\"Type\": \"Choice\", \"Choices\": []}"),
                        "state \"S\": Choices must be a non-empty array, was []"),
                Arguments.of(one("{\"Type\": \"Choice\", \"End\": true, \"Choices\": [{\"Variable\": \"$.a\", "
                        + "\"IsNull\": true, \"Next\": \"S\"}]}"),
                        "state \"S\": field \"End\" is not allowed in a Choice state"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [
                          {"Variable": "$.a", "IsNull": true, "Next": "Done"},
                          {"Variable": "$.a", "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 2 has no comparison operator"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "StringEqual": "x", "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1: unknown field \"StringEqual\" (did you mean \"StringEquals\"?)"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "StringEquals": "x", "IsNull": true,
                          "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1 has more than one operator: StringEquals, IsNull"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": "1", "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1: NumericEquals needs a number, was \"1\""),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "TimestampEquals": "noon", "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1: TimestampEquals needs an RFC 3339 timestamp such as "
                                + "\"2026-01-31T12:00:00Z\", was \"noon\""),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"StringEquals": "x", "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1 has StringEquals but no Variable"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "StringEqualsPath": "$.b*",
                          "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1: StringEqualsPath \"$.b*\" is not a path Cove supports: \"*\" at "
                                + "character 3 is not supported; paths are $ then .field, ['field'] or [index] steps"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.a", "IsNull": true},
                          {"Variable": "$.b"}], "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1, And rule 2 has no comparison operator"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.a", "IsNull": true, "Next": "Done"},
                          "Next": "Done"}]}"""),
                        "state \"S\": Choice rule 1, Not rule: field \"Next\" is not allowed in a nested Choice rule"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true}]}"""),
                        "state \"S\": Choice rule 1: field \"Next\" is missing"),
                Arguments.of(two("""
                        {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "Done"}],
                          "Default": "Dnoe"}"""),
                        "state \"S\": Default names \"Dnoe\", which is not a state (did you mean \"Done\"?)"),
                Arguments.of(one("{\"Type\": \"Fail\", \"Error\": 3}"), "state \"S\": Error must be a non-empty string, was 3"),
                Arguments.of(one("{\"Type\": \"Fail\", \"Error\": \"E\", \"Next\": \"S\"}"),
                        "state \"S\": field \"Next\" is not allowed in a Fail state"),
                Arguments.of("""
                        {"StartAt": "S", "States": {"S": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}}}""",
                        "state \"Orphan\" can't be reached from StartAt"),
                Arguments.of(one("""
                        {"Type": "Parallel", "End": true, "Branches": [
                          {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
                          {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}}}]}"""),
                        "state \"S\" branch 2: state \"X\": Next names \"Y\", which is not a state"),
                Arguments.of(one("""
                        {"Type": "Parallel", "End": true, "Branches": [
                          {"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true, "Branches": [
                            {"StartAt": "B", "States": {"B": {"Type": "Wait", "End": true}}}]}}}]}"""),
                        "state \"S\" branch 1: state \"A\" branch 1: state \"B\": a Wait state needs exactly one of "
                                + "Seconds, Timestamp, SecondsPath and TimestampPath, has none"),
                Arguments.of(one("""
                        {"Type": "Parallel", "End": true, "Branches": [
                          {"StartAt": "Z", "States": {"A": {"Type": "Succeed"}}}]}"""),
                        "state \"S\" branch 1: StartAt names \"Z\", which is not a state"),
                Arguments.of(one("{\"Type\": \"Parallel\", \"End\": true, \"Branches\": []}"),
                        "state \"S\": Branches must be a non-empty array, was []"),
                Arguments.of(one("""
                        {"Type": "Parallel", "End": true, "Branches": [
                          {"StartAt": "A", "TimeoutSeconds": 3, "States": {"A": {"Type": "Succeed"}}}]}"""),
                        "state \"S\" branch 1: field \"TimeoutSeconds\" is not allowed in a Parallel branch"),
                Arguments.of(one("{\"Type\": \"Map\", \"End\": true}"), "state \"S\": a Map state needs an ItemProcessor"),
                Arguments.of(one("""
                        {"Type": "Map", "End": true, "MaxConcurrency": -1,
                          "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}"""),
                        "state \"S\": MaxConcurrency must be an integer >= 0, was -1"),
                Arguments.of(one("""
                        {"Type": "Map", "End": true, "Parameters": {}, "ItemSelector": {},
                          "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}"""),
                        "state \"S\": has both Parameters and ItemSelector; they are two names for one field"),
                Arguments.of(one("""
                        {"Type": "Map", "End": true,
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "A",
                            "States": {"A": {"Type": "Succeed"}}}}"""),
                        "state \"S\" ItemProcessor: ProcessorConfig: Mode \"DISTRIBUTED\" is not supported; Cove runs "
                                + "Map states INLINE"),
                Arguments.of(one("""
                        {"Type": "Map", "End": true,
                          "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "f"}}}}"""),
                        "state \"S\" Iterator: state \"A\" has neither Next nor End"));
    }

    private static String task(String extra) {
        return "{\"Type\": \"Task\", \"Resource\": \"f\", \"End\": true, " + extra + "}";
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithAMessageThatNamesTheStateAndTheProblem(String definition, String message) {
        assertThatThrownBy(() -> Workflow.parse(json(definition)))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsEveryStateTypeWithItsOptionalFields() throws Exception {
        Workflow workflow = Workflow.parse(json("""
                {"Comment": "all of it", "Version": "1.0", "TimeoutSeconds": 60, "StartAt": "T",
                 "States": {
                  "T": {"Type": "Task", "Resource": "fetch", "Comment": "c", "InputPath": "$.in",
                        "Parameters": {"id.$": "$.id", "fixed": [1, {"x.$": "$$.Execution.Id"}]},
                        "ResultSelector": {"body.$": "$.body"}, "ResultPath": "$.out", "OutputPath": "$",
                        "TimeoutSeconds": 5,
                        "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 0,
                                   "BackoffRate": 1.5, "MaxDelaySeconds": 10},
                                  {"ErrorEquals": ["States.ALL"]}],
                        "Catch": [{"ErrorEquals": ["Custom", "States.TaskFailed"], "Next": "F",
                                   "ResultPath": "$.error"}],
                        "Next": "P"},
                  "P": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": null, "Next": "C"},
                  "C": {"Type": "Choice", "InputPath": null, "Choices": [
                          {"Not": {"Variable": "$$.State.Name", "StringMatches": "C*"}, "Next": "W"},
                          {"Or": [{"Variable": "$['odd key'][0]", "NumericLessThanEquals": 3},
                                  {"And": [{"Variable": "$.t", "IsTimestamp": true},
                                           {"Variable": "$.t", "TimestampGreaterThanPath": "$.u"}]}],
                           "Next": "Fan"}],
                        "Default": "F"},
                  "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Fan"},
                  "Fan": {"Type": "Parallel", "ResultSelector": {"first.$": "$[0]"}, "Next": "Each",
                          "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "inner",
                                                                          "End": true}}}]},
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                           "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
                           "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I",
                              "States": {"I": {"Type": "Task", "Resource": "item", "End": true}}},
                           "Next": "Done"},
                  "Done": {"Type": "Succeed", "OutputPath": "$.out"},
                  "F": {"Type": "Fail", "Error": "Failed", "Cause": "why"}}}"""));
        assertThat(workflow.resources()).containsExactlyInAnyOrder("fetch", "inner", "item");
    }

    @Test
    void keepsTheDefinitionAsGiven() throws Exception {
        String text = "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Pass\", \"End\": true}}}";
        assertThat(Workflow.parse(json(text)).definition()).isEqualTo(json(text));
    }
}
