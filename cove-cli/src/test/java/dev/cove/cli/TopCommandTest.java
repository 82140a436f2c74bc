package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopCommandTest {
    private static final JsonNode LOAD = Json.parse("""
            [{"name": "hello", "starting": 0, "busy": 2, "idle": 1, "paused": 4, "waiting": 3, "activations": 130, "coldStarts": 3},
             {"name": "resize", "starting": 1, "busy": 0, "idle": 0, "paused": 0, "waiting": 0, "activations": 7, "coldStarts": 1}]
            """).orElseThrow();

    @Test
    void aRowAFunctionWithItsRequestsPerSecondSinceTheLastLook() {
        assertThat(TopCommand.rows(LOAD, Map.of("hello", 30L), 2.0)).containsExactly(
                List.of("hello", "2", "1", "4", "0", "3", "50.0", "3"),
                List.of("resize", "0", "0", "0", "1", "0", "-", "1"));
    }

    @Test
    void aFirstLookHasNoRate() {
        assertThat(TopCommand.rows(LOAD, Map.of(), 0)).extracting(row -> row.get(6)).containsOnly("-");
        assertThat(TopCommand.activations(LOAD)).isEqualTo(Map.of("hello", 130L, "resize", 7L));
    }
}
