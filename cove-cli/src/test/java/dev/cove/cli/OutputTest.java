package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {

    @Test
    void tablesAlignTheirColumns() {
        List<String> lines = Output.table(List.of("NAME", "VERSION", "KIND"),
                List.of(List.of("hello", "0.0.12", "nodejs:20"), List.of("a", "0.0.1", "")));

        assertThat(lines).containsExactly(
                "NAME   VERSION  KIND",
                "hello  0.0.12   nodejs:20",
                "a      0.0.1");
    }

    @Test
    void timesAreLocalDateAndTime() {
        assertThat(Output.time(1732300719123L, ZoneOffset.UTC)).isEqualTo("2024-11-22 18:38:39");
        assertThat(Output.time(1732300719123L, ZoneOffset.ofHours(2))).isEqualTo("2024-11-22 20:38:39");
    }

    @Test
    void oneLineJoinsLines() {
        assertThat(Output.oneLine("  boom\n   at x\r\n  at y \n")).isEqualTo("boom at x at y");
    }

    @Test
    void activationsBecomeRowsOfIdNameVersionStatusStartAndDuration() {
        JsonNode activations = Json.parse("""
                [{"activationId": "7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e", "name": "hello", "version": "0.0.2",
                  "start": 1732300719123, "duration": 4, "response": {"status": "success"}}]
                """).orElseThrow();

        assertThat(ActivationsCommand.rows(activations, ZoneOffset.UTC)).containsExactly(List.of(
                "7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e", "hello", "0.0.2", "success", "2024-11-22 18:38:39", "4 ms"));
    }

    @Test
    void aFunctionIsDescribedLineByLine() {
        JsonNode action = Json.parse("""
                {"namespace": "guest", "name": "hello", "version": "0.0.2",
                 "exec": {"kind": "nodejs:20", "main": "main", "binary": false},
                 "parameters": [{"key": "name", "value": "world"}], "env": {"GREETING": "hi"},
                 "labels": {"created-by": "cove", "function": "hello"},
                 "limits": {"timeout": 60000, "memory": 256, "concurrency": 1, "logs": 10, "maxInstances": 4, "network": "none",
                            "minInstances": 1, "idleTimeout": 600000, "debug": false},
                 "instances": {"starting": 0, "busy": 1, "idle": 2, "paused": 3}}
                """).orElseThrow();

        assertThat(GetCommand.describe(action)).containsExactly(
                "name        hello",
                "version     0.0.2",
                "kind        nodejs:20",
                "main        main",
                "limits      timeout 60000 ms, memory 256 MB, concurrency 1, max instances 4, logs 10 MB, network none",
                "scaling     min instances 1, idle timeout 600000 ms",
                "debug       off: no debug shell opens in its sandboxes, and no failed one is kept",
                "instances   1 busy, 2 idle, 3 paused, 0 starting",
                "label       created-by=cove",
                "label       function=hello",
                "parameter   name = \"world\"",
                "env         GREETING=hi");
    }

    @Test
    void aFunctionsDependenciesAreListedOneAPackage() {
        JsonNode node = Json.parse("""
                {"name": "numeric", "version": "0.0.1", "exec": {"kind": "nodejs:20",
                 "dependencies": "{\\"dependencies\\": {\\"is-number\\": \\"7.0.0\\", \\"left-pad\\": \\"^1.3\\"}}"}}
                """).orElseThrow();
        JsonNode python = Json.parse("""
                {"name": "shouter", "version": "0.0.1", "exec": {"kind": "python:3",
                 "dependencies": "# for shouting\\ncovetiny==1.0  # ours\\n\\nrequests>=2\\n"}}
                """).orElseThrow();

        assertThat(GetCommand.describe(node)).contains("dependency  is-number@7.0.0", "dependency  left-pad@^1.3");
        assertThat(GetCommand.dependencies(python.path("exec"))).containsExactly("covetiny==1.0", "requests>=2");
    }
}
