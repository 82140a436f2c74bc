package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache OpenWhisk's own JavaScript client, installed from the npm registry at its pinned version and
 * used unchanged: create, invoke (blocking, result only, non-blocking), update, list, get, activations,
 * logs and delete; triggers, rules and the alarms feed; against a real server.
 */
class OpenWhiskClientIT {
    static final String CLIENT = "openwhisk@3.21.9";
    static final Path INSTALL = Path.of("target/openwhisk-client").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void installClient() throws Exception {
        if (Files.isDirectory(INSTALL.resolve("node_modules/openwhisk"))) {
            return;
        }
        Files.createDirectories(INSTALL);
        String out = run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", INSTALL.toString(), CLIENT),
                null, null);
        assertThat(INSTALL.resolve("node_modules/openwhisk")).as("npm install: " + out).isDirectory();
    }

    @Test
    void theOpenWhiskClientWorksUnchanged() throws Exception {
        try (TestCove cove = new TestCove(dir)) {
            Path script = Path.of("src/test/resources/openwhisk-client/check.js").toAbsolutePath();
            Files.copy(script, INSTALL.resolve("check.js"), StandardCopyOption.REPLACE_EXISTING);
            String out = run(List.of("node", "check.js"), cove.server.apiHost(), cove.server.guestAuth());
            JsonNode seen = TestCove.JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
            assertThat(seen.path("result")).isEqualTo(TestCove.object().put("hi", "Ada"));
            assertThat(seen.path("updated")).isEqualTo(TestCove.object().put("hello", "Bo"));
            assertThat(seen.path("names").toString()).isEqualTo("[\"owhello\"]");
            assertThat(seen.path("version").asText()).isEqualTo("0.0.2");
            assertThat(seen.path("activation")).isEqualTo(TestCove.object().put("hello", "Cy"));
            assertThat(seen.path("logs").path("logs").isArray()).isTrue();
            assertThat(seen.path("listed").asInt()).isEqualTo(3);
            assertThat(seen.path("missing").asInt()).isEqualTo(404);
            assertTriggersAndRules(seen.path("triggers"));
        }
    }

    /** What check.js's triggers, rules and feeds calls returned. */
    private static void assertTriggersAndRules(JsonNode seen) {
        assertThat(seen.path("created").asText()).isEqualTo("owtrigger");
        assertThat(seen.path("ruleStatus").asText()).isEqualTo("active");
        assertThat(seen.path("ruleTrigger").toString()).isEqualTo("{\"path\":\"guest\",\"name\":\"owtrigger\"}");
        assertThat(seen.path("rulesOfTrigger").toString())
                .isEqualTo("{\"guest/owrule\":{\"action\":{\"path\":\"guest\",\"name\":\"owecho\"},\"status\":\"active\"}}");
        assertThat(seen.path("listed").toString()).isEqualTo("[\"owtrigger\"]");
        assertThat(seen.path("activationName").asText()).isEqualTo("owtrigger");
        assertThat(seen.path("fireResult")).isEqualTo(TestCove.object().put("from", "trigger").put("n", 1));
        assertThat(seen.path("gotRule").path("name").asText()).isEqualTo("owecho");
        assertThat(seen.path("rules").toString()).isEqualTo("[\"owrule\"]");
        assertThat(seen.path("disabled").asText()).isEqualTo("inactive");
        assertThat(seen.path("quiet").asText()).isEqualTo("nothing ran");
        assertThat(seen.path("enabled").asText()).isEqualTo("active");
        assertThat(seen.path("feed")).isEqualTo(TestCove.object().put("status", "success"));
        assertThat(seen.path("schedule").path("cron").asText()).isEqualTo("0 9 * * *");
        assertThat(seen.path("schedule").path("payload")).isEqualTo(TestCove.object().put("tick", true));
        assertThat(seen.path("feedDeleted").asBoolean()).isTrue();
        assertThat(seen.path("unscheduled").asBoolean()).isTrue();
        assertThat(seen.path("deletedRule").asText()).isEqualTo("owrule");
        assertThat(seen.path("deleted").asText()).isEqualTo("owtrigger");
        assertThat(seen.path("missing").asInt()).isEqualTo(404);
    }

    /** Runs a command in the client's folder; npm keeps the caller's environment (proxies, certificates). */
    static String run(List<String> command, String apiHost, String auth) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(INSTALL.toFile()).redirectErrorStream(true);
        if (apiHost != null) {
            builder.environment().put("APIHOST", apiHost);
            builder.environment().put("AUTH", auth);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " said: " + out).isZero();
        return out;
    }
}
