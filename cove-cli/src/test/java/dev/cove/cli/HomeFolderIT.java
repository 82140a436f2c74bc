package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ~} is {@code $HOME}: {@code cove up} and the commands after it, each a JVM of its own started
 * from the shaded jar as ./cove starts them, with {@code HOME} set to a scratch folder, keep the data and
 * the config there and nowhere else. (A JVM's {@code user.home} is the account's whatever {@code HOME}
 * says, so the test JVM can't stand in for them.)
 */
class HomeFolderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/cove.jar");

    @TempDir
    Path dir;

    @Test
    void theServerAndTheCommandsTakeTheHomeFolderFromHome() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path config = home.resolve(".cove/config.json");
        Path log = dir.resolve("up.log");
        Process up = cove(home, "up", "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(config) && up.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(config).as("the config under $HOME; the server said: %s", Files.readString(log)).exists();
            assertThat(home.resolve(".cove/cove.db")).as("the data folder under $HOME").exists();
            JsonNode written = JSON.readTree(config.toFile());

            Process list = cove(home, "list", "--json").redirectErrorStream(true).start();
            String listed = new String(list.getInputStream().readAllBytes());
            assertThat(list.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(list.exitValue()).as("cove list, with the config under $HOME (%s): %s", written, listed).isZero();
            assertThat(JSON.readTree(listed).isArray()).as(listed).isTrue();
        } finally {
            up.destroy();
            up.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The CLI as a process of its own with {@code HOME} set, and none of the variables that would point it elsewhere. */
    private static ProcessBuilder cove(Path home, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("COVE_"));
        env.put("HOME", home.toString());
        return builder;
    }
}
