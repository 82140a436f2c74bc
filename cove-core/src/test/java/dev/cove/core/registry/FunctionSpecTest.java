package dev.cove.core.registry;

import dev.cove.core.model.Code;
import dev.cove.core.model.Dependencies;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Limits;
import dev.cove.core.model.Network;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "JAVA   | x==1                 | only nodejs and python functions have dependencies, a java:21 function can't",
        "NODEJS | is-number            | the dependencies of a nodejs function are a package.json, which must be JSON: Unrecognized token 'is': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "NODEJS | [1]                  | the dependencies of a nodejs function are a package.json, which must be a JSON object, was array",
    })
    void dependenciesAreRefusedWhereTheirRuntimeCantReadThem(Kind kind, String text, String message) {
        FunctionSpec spec = FunctionSpec.of("needs", kind, Code.source(""), kind == Kind.JAVA ? "Needs" : "main");
        assertThatThrownBy(() -> spec.withDependencies(new Dependencies(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void blankDependenciesAreNoneAndALongListIsRefusedWithItsSize() {
        assertThat(new Dependencies(" \n\t").none()).isTrue();
        assertThatThrownBy(() -> new Dependencies("x".repeat(Dependencies.MAX_BYTES + 1)))
                .hasMessage("the dependencies are 65537 bytes, over the limit of 65536 bytes");
        assertThat(NODE_SOURCE.withDependencies(new Dependencies("{}")).dependencies().text()).isEqualTo("{}");
    }
}
