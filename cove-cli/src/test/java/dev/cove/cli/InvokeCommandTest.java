package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvokeCommandTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = Cli.with(Map.of(), dir.resolve("config.json"));
    }

    private String parameters(String... args) {
        return Json.compact(cli.parse(InvokeCommand.class, args).parameters());
    }

    @Test
    void withoutParametersTheBodyIsAnEmptyObject() {
        assertThat(parameters("invoke", "hello")).isEqualTo("{}");
    }

    @Test
    void dashPValuesAreJsonWhenTheyParse() {
        assertThat(parameters("invoke", "hello", "-p", "name", "Ada", "-p", "age", "36", "-p", "ok", "true"))
                .isEqualTo("{\"name\":\"Ada\",\"age\":36,\"ok\":true}");
    }

    @Test
    void aValueMayLookLikeAnOption() {
        assertThat(parameters("invoke", "hello", "-p", "n", "-1", "-p", "flag", "-x")).isEqualTo("{\"n\":-1,\"flag\":\"-x\"}");
    }

    @Test
    void dashPOverridesData() {
        assertThat(parameters("invoke", "hello", "--data", "{\"name\": \"Grace\", \"x\": [1]}", "-p", "name", "Ada"))
                .isEqualTo("{\"name\":\"Ada\",\"x\":[1]}");
    }

    @Test
    void dataIsReadFromAFileAfterAnAt() throws Exception {
        Path file = Files.writeString(dir.resolve("params.json"), "{\"name\": \"Ada\"}\n");

        assertThat(parameters("invoke", "hello", "--data", "@" + file)).isEqualTo("{\"name\":\"Ada\"}");
    }

    @Test
    void dataThatIsNoJsonObjectIsAUsageError() {
        Cli.Result notJson = cli.run("invoke", "hello", "--data", "{name: Ada}");
        Cli.Result array = cli.run("invoke", "hello", "--data", "[1]");

        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err()).startsWith("--data is no valid JSON\n");
        assertThat(array.exitCode()).isEqualTo(2);
        assertThat(array.err()).startsWith("--data must be a JSON object like {\"name\": \"Ada\"}\n");
    }

    @Test
    void aMissingDataFileIsAFailure() {
        Cli.Result result = cli.run("invoke", "hello", "--data", "@" + dir.resolve("none.json"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("cannot read " + dir.resolve("none.json"));
    }

    @Test
    void aFailedActivationIsOneLineWithItsStatusAndId() {
        var activation = Json.parse("""
                {"activationId": "7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e",
                 "response": {"status": "action developer error", "success": false,
                              "result": {"error": "TypeError: x is undefined\\n    at main (hello.js:2)"}}}
                """).orElseThrow();

        assertThat(InvokeCommand.failure(activation)).isEqualTo("action developer error: TypeError: x is undefined"
                + " at main (hello.js:2) (activation 7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e)");
    }

    @Test
    void anErrorThatIsAnObjectIsPrintedAsJson() {
        var activation = Json.parse("""
                {"activationId": "a", "response": {"status": "application error", "result": {"error": {"code": 7}}}}
                """).orElseThrow();

        assertThat(InvokeCommand.failure(activation)).isEqualTo("application error: {\"code\":7} (activation a)");
    }
}
