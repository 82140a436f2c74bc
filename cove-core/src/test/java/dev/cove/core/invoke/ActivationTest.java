package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.JsonValue;
import dev.cove.core.model.Kind;
import dev.cove.core.model.TierVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActivationTest {
    static final FunctionRevision HELLO = new FunctionRevision("guest",
            FunctionSpec.of("hello", Kind.PYTHON, Code.source("def main(a): return a"), "main"), 3,
            Instant.parse("2026-01-01T00:00:00Z"));

    static Activation activation(ActivationStatus status, Optional<Duration> initTime) {
        JsonValue result = JsonValue.of(JsonNodeFactory.instance.objectNode().put("ok", true));
        Instant start = Instant.ofEpochMilli(1_000);
        return new Activation("a".repeat(32), HELLO, start, start.plusMillis(7), status, result,
                List.of("t stdout: hi"), initTime, Duration.ofMillis(2), Optional.empty(), Optional.empty());
    }

    @Test
    void theJsonHasOpenWhisksFields() {
        ObjectNode json = activation(ActivationStatus.SUCCESS, Optional.of(Duration.ofMillis(4))).toJson();
        assertThat(json.path("namespace").asText()).isEqualTo("guest");
        assertThat(json.path("name").asText()).isEqualTo("hello");
        assertThat(json.path("version").asText()).isEqualTo("0.0.3");
        assertThat(json.path("duration").asLong()).isEqualTo(7);
        assertThat(json.path("response").path("status").asText()).isEqualTo("success");
        assertThat(json.path("response").path("statusCode").asInt()).isZero();
        assertThat(json.path("response").path("success").asBoolean()).isTrue();
        assertThat(json.path("logs").get(0).asText()).isEqualTo("t stdout: hi");
        assertThat(json.path("annotations").toString())
                .contains("{\"key\":\"path\",\"value\":\"guest/hello\"}")
                .contains("{\"key\":\"kind\",\"value\":\"python:3\"}")
                .contains("{\"key\":\"initTime\",\"value\":4}")
                .contains("{\"key\":\"waitTime\",\"value\":2}")
                .contains("\"limits\"");
    }

    @Test
    void warmActivationsHaveNoInitTimeAndTimeoutsAreMarked() {
        ObjectNode json = activation(ActivationStatus.TIMEOUT, Optional.empty()).toJson();
        assertThat(json.path("annotations").toString()).doesNotContain("initTime")
                .contains("{\"key\":\"timeout\",\"value\":true}");
        assertThat(json.path("response").path("status").asText()).isEqualTo("action developer error");
        assertThat(json.path("statusCode").asInt()).isEqualTo(2);
    }

    @Test
    void theHandWrittenEncodingIsValidJsonThatEscapesWhatItMust() throws Exception {
        var f = JsonNodeFactory.instance;
        JsonValue result = JsonValue.of(f.objectNode().put("text", "quote \" and \u2028 and \n"));
        Activation a = new Activation("b".repeat(32), HELLO, Instant.EPOCH, Instant.EPOCH, ActivationStatus.SUCCESS,
                result, List.of("t stdout: \"quoted\"\ttab ✓"), Optional.empty(), Duration.ZERO, Optional.of("c".repeat(32)), Optional.empty());
        ObjectNode json = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.toJsonBytes());
        assertThat(json.path("response").path("result")).isEqualTo(result.tree());
        assertThat(json.path("logs").get(0).asText()).isEqualTo("t stdout: \"quoted\"\ttab ✓");
        assertThat(json.path("annotations").toString()).contains("{\"key\":\"causedBy\",\"value\":\"" + "c".repeat(32) + "\"}");
        assertThat(a.toRecord().causedBy()).contains("c".repeat(32));
    }

    @Test
    void eachVersionsActivationsCarryThatVersionsNameAndLimitsWhateverWasEncodedBefore() {
        List<FunctionRevision> versions = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> new FunctionRevision("ns" + i, FunctionSpec.of("f" + i, Kind.NODEJS,
                        Code.source("function main(a) { return a; }"), "main"), i + 1, Instant.EPOCH))
                .toList();
        for (int round = 0; round < 2; round++) { // more versions than the fragments cache has slots
            for (int i = 0; i < versions.size(); i++) {
                ObjectNode json = new Activation("d".repeat(32), versions.get(i), Instant.EPOCH, Instant.EPOCH,
                        ActivationStatus.SUCCESS, JsonValue.of(JsonNodeFactory.instance.objectNode()), List.of(),
                        Optional.empty(), Duration.ZERO, Optional.empty(), Optional.empty()).toJson();
                assertThat(json.path("namespace").asText()).isEqualTo("ns" + i);
                assertThat(json.path("name").asText()).isEqualTo("f" + i);
                assertThat(json.path("version").asText()).isEqualTo("0.0." + (i + 1));
                assertThat(json.path("annotations").get(0).path("value").asText()).isEqualTo("ns" + i + "/f" + i);
            }
        }
    }

    @Test
    void aJavaActivationSaysWhichTierRanItAndWhyNotInline() {
        FunctionRevision java = new FunctionRevision("guest", FunctionSpec.of("Probe", Kind.JAVA,
                Code.source("class Probe {}"), "Probe"), 1, Instant.EPOCH);
        JsonValue empty = JsonValue.of(JsonNodeFactory.instance.objectNode());
        String inline = new Activation("e".repeat(32), java, Instant.EPOCH, Instant.EPOCH, ActivationStatus.SUCCESS,
                empty, List.of(), Optional.empty(), Duration.ZERO, Optional.empty(), Optional.of(TierVerdict.INLINE))
                .toJson().path("annotations").toString();
        String process = new Activation("f".repeat(32), java, Instant.EPOCH, Instant.EPOCH, ActivationStatus.SUCCESS,
                empty, List.of(), Optional.empty(), Duration.ZERO, Optional.empty(),
                Optional.of(TierVerdict.process("Probe.main calls java.nio.file.Files.readString")))
                .toJson().path("annotations").toString();
        assertThat(inline).contains("{\"key\":\"tier\",\"value\":\"inline\"}").doesNotContain("tierReason");
        assertThat(process).contains("{\"key\":\"tier\",\"value\":\"process\"}")
                .contains("{\"key\":\"tierReason\",\"value\":\"Probe.main calls java.nio.file.Files.readString\"}");
        assertThat(activation(ActivationStatus.SUCCESS, Optional.empty()).toJson().path("annotations").toString())
                .as("other kinds have one tier").doesNotContain("tier");
    }

    @Test
    void anIdThatIsNotLettersAndDigitsIsEscaped() {
        Activation a = new Activation("id \"with\" quotes", HELLO, Instant.EPOCH, Instant.EPOCH,
                ActivationStatus.SUCCESS, JsonValue.of(JsonNodeFactory.instance.objectNode()), List.of(),
                Optional.empty(), Duration.ZERO, Optional.empty(), Optional.empty());
        assertThat(a.toJson().path("activationId").asText()).isEqualTo("id \"with\" quotes");
    }

    @Test
    void theRecordKeepsTheQueryFields() {
        var record = activation(ActivationStatus.APPLICATION_ERROR, Optional.empty()).toRecord();
        assertThat(record.statusCode()).isEqualTo(1);
        assertThat(record.startMillis()).isEqualTo(1000);
        assertThat(record.name()).isEqualTo("hello");
        assertThat(record.jsonText()).contains("\"application error\"");
    }

    @Test
    void resultsWithAnErrorFieldAreApplicationErrors() {
        var f = JsonNodeFactory.instance;
        assertThat(Pending.classify(f.objectNode().put("error", "x"))).isEqualTo(ActivationStatus.APPLICATION_ERROR);
        assertThat(Pending.classify(f.objectNode().put("ok", 1))).isEqualTo(ActivationStatus.SUCCESS);
        assertThat(Pending.classify(f.arrayNode().add(1))).isEqualTo(ActivationStatus.SUCCESS);
    }
}
