package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cove debug} as a person uses it: the real CLI in a real terminal (tmux: keys sent, the pane
 * read back), against the shaded jar's server in its own JVM, with real sandboxes.
 */
class DebugCliIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    /** Leaves a clue in /tmp and raises: an application error, kept here with --debug-on application-error. */
    private static final String FAILING = """
            def main(args):
                open("/tmp/clue", "w").write("left by " + args["who"])
                raise ValueError("boom")
            """;
    /** Another application's function, whose files the debug shell must not see. */
    private static final String OTHER = """
            def main(args):
                open("/tmp/others-secret", "w").write("not yours")
                return {}
            """;

    @TempDir
    Path dir;
    ServerProcess server;
    final String session = "cove-debug-it-" + ProcessHandle.current().pid();

    @BeforeEach
    void start() throws Exception {
        server = new ServerProcess(dir, "--debug-on", "application-error").start();
        deploy("failing", FAILING);
        deploy("other", OTHER);
    }

    @AfterEach
    void stop() throws Exception {
        run(List.of("tmux", "kill-session", "-t", session));
        server.close();
    }

    private void deploy(String name, String code) throws Exception {
        String body = ServerProcess.JSON.createObjectNode().set("exec", ServerProcess.JSON.createObjectNode()
                .put("kind", "python:3").put("code", code)).toString();
        assertThat(server.put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", body).statusCode()).isEqualTo(200);
    }

    /** Invokes and answers the activation's id. */
    private String invoke(String name, String who) throws Exception {
        var answer = server.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{\"who\": \"" + who + "\"}");
        return ServerProcess.JSON.readTree(answer.body()).path("activationId").asText();
    }

    private List<String> cli(String... arguments) {
        List<String> command = new ArrayList<>(List.of("env", "COVE_CONFIG=" + dir.resolve("config.json"), JAVA, "-jar",
                Path.of("target/cove.jar").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs the CLI in a tmux pane of 100 by 30; the pane says EXIT=N when it ends. */
    private void open(String... arguments) throws Exception {
        String shell = String.join(" ", cli(arguments)) + "; echo EXIT=$?; sleep 600";
        run(List.of("tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", shell));
    }

    private void keys(String... keys) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
        command.addAll(List.of(keys));
        run(command);
    }

    private String pane() throws Exception {
        return run(List.of("tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", session));
    }

    /** The pane once it shows what is wanted: a terminal announces nothing else. */
    private String await(Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String now = pane();
        while (!wanted.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = pane();
        }
        assertThat(wanted.test(now)).as("the pane showed:%n%s", now).isTrue();
        return now;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Whether a process of this host runs with this command line (its arguments NUL-separated). */
    private static boolean running(String commandLine) throws Exception {
        try (var pids = Files.list(Path.of("/proc"))) {
            return pids.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    return Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1).equals(commandLine + "\0");
                } catch (Exception e) {
                    return false; // gone meanwhile
                }
            });
        }
    }

    @Test
    void theShellSeesTheFailedSandboxAndNothingElse() throws Exception {
        invoke("other", "someone");
        String id = invoke("failing", "tmux");
        open("debug", id);
        await(p -> p.contains("failing:"));

        keys("cat /tmp/clue; echo; ls; id -u; ps -o args; ls /tmp; ls " + server.dataDir() + "; echo done-$((1+1))", "Enter");
        String seen = await(p -> p.contains("done-2"));
        assertThat(seen).contains("left by tmux").contains("65534").contains("/cove/runtimes/python")
                .contains("No such file or directory").doesNotContain("others-secret").doesNotContain("java -jar");

        keys("sleep 613", "Enter");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!running("sleep\0" + "613") && System.nanoTime() < deadline) {
            Thread.sleep(20); // the shell's child is seen on this host's /proc, nowhere else
        }
        keys("C-c");
        keys("echo after=$?", "Enter");
        await(p -> p.contains("after=130"));

        run(List.of("tmux", "resize-window", "-t", session, "-x", "120", "-y", "40"));
        deadline = System.nanoTime() + WAIT.toNanos();
        while (!pane().contains("40 120") && System.nanoTime() < deadline) {
            keys("stty size", "Enter"); // until the CLI, which looks at its size four times a second, passed it on
            Thread.sleep(300);
        }
        assertThat(pane()).contains("40 120");

        keys("exit 3", "Enter");
        await(p -> p.contains("EXIT=3"));

        String sessions = run(cli("debug", "--sessions"));
        assertThat(sessions).contains("OPENED").contains("activation " + id);
    }

    @Test
    void followAttachesToTheNextFailureWithItsError() throws Exception {
        open("debug", "--follow", "failing");
        await(p -> p.contains("waiting for failing to fail"));
        invoke("failing", "the follower");
        String shown = await(p -> p.contains("failing:"));
        assertThat(shown).contains("failed: ValueError: boom").contains("stderr:");
        keys("cat /tmp/clue; exit", "Enter");
        await(p -> p.contains("left by the follower") && p.contains("EXIT=0"));
    }

    @Test
    void replayRunsAFailureAgainAndKeepsItsSandbox() throws Exception {
        String failed = invoke("failing", "the first");
        Process process = new ProcessBuilder(cli("replay", failed, "--debug")).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("application error: ValueError: boom").contains("its sandbox is kept: cove debug ");
        String again = out.replaceAll("(?s).*cove debug (\\w+).*", "$1");
        assertThat(again).hasSize(32).isNotEqualTo(failed);
        open("debug", again);
        keys("cat /tmp/clue; exit", "Enter");
        await(p -> p.contains("left by the first") && p.contains("EXIT=0"));
    }

    @Test
    void anActivationWithNoKeptSandboxIsAClearError() throws Exception {
        String ok = invoke("other", "someone");
        Process process = new ProcessBuilder(cli("debug", ok)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("No sandbox is kept for activation " + ok);
    }
}
