package dev.cove.core.registry;

import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionSpecTest {
    private static final FunctionSpec NODE_SOURCE = FunctionSpec.of("hello", Kind.NODEJS, Code.source("function main() {}"), "main");

    static Stream<Arguments> redeployments() {
        return Stream.of(
                Arguments.of(NODE_SOURCE, List.of()),
                Arguments.of(FunctionSpec.of("hello", Kind.NODEJS, Code.source("exports.main = () => ({})"), "main"),
                        List.of()),
                Arguments.of(FunctionSpec.of("hello", Kind.PYTHON, Code.source("def handler(event, context): pass"), "main"),
                        List.of("hello was nodejs:20, is now python:3")),
                Arguments.of(FunctionSpec.of("hello", Kind.NODEJS, Code.archive(new byte[] {1}), "main"),
                        List.of("hello was a source file, is now a zip archive")),
                Arguments.of(FunctionSpec.of("hello", Kind.NODEJS, Code.source("function handler() {}"), "handler"),
                        List.of("hello's entry point was main, is now handler")),
                Arguments.of(FunctionSpec.of("hello", Kind.JAVA, Code.archive(new byte[] {1}), "dev.x.Hello"),
                        List.of("hello was nodejs:20, is now java:21", "hello was a source file, is now a jar",
                                "hello's entry point was main, is now dev.x.Hello")));
    }

    @ParameterizedTest
    @MethodSource("redeployments")
    void aRedeploymentSaysWhatItChangesOfTheRuntimeTheCodesFormAndTheEntryPoint(FunctionSpec after, List<String> said) {
        assertThat(after.changesFrom(NODE_SOURCE)).isEqualTo(said);
    }

    @ParameterizedTest
    @MethodSource("redeployments")
    void limitsParametersAndEnvironmentAreNoChangeOfShape(FunctionSpec after, List<String> said) {
        FunctionSpec tuned = after.withLimits(new Limits(Limits.DEFAULT.timeout(), 512, 2, 10, 4, Network.OUTBOUND)).withEnv(java.util.Map.of("A", "b"));
        assertThat(tuned.changesFrom(NODE_SOURCE)).isEqualTo(said);
    }
}
