package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command tree as a shell sees it: help, usage errors, exit codes, and a server that isn't there. */
class MainTest {

    @TempDir
    static Path dir;

    private static String closedHost;

    @BeforeAll
    static void findAClosedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedHost = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static Cli cli() {
        return Cli.with(Map.of("COVE_APIHOST", closedHost, "COVE_AUTH", "u:k"), dir.resolve("config.json"));
    }

    /** A command line that names a command builds that command alone; any other builds them all. */
    @Test
    void onlyTheNamedCommandIsBuilt() {
        assertThat(Main.commandsFor(new String[] {"invoke", "hello"})).containsExactly(InvokeCommand.class);
        assertThat(Main.commandsFor(new String[] {"app", "list"})).containsExactly(AppCommand.class);
        assertThat(Main.commandsFor(new String[] {"invok", "hello"})).isEqualTo(CoveCommand.COMMANDS);
        assertThat(Main.commandsFor(new String[] {"--help"})).isEqualTo(CoveCommand.COMMANDS);
        assertThat(Main.commandsFor(new String[] {})).isEqualTo(CoveCommand.COMMANDS);
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        Cli.Result result = cli().run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: cove [-hV] COMMAND");
        for (String command : new String[] {"up", "deploy", "app", "workflow", "trigger", "rule", "publish", "cache", "list",
                "get", "delete", "invoke", "activations", "activation", "logs", "version"}) {
            assertThat(result.out()).containsPattern("(?m)^  " + command + " +\\S");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "deploy", "list", "get", "delete", "invoke", "activations", "activation", "logs",
        "version", "app deploy", "app list", "app get", "app delete", "workflow start", "workflow executions",
        "workflow execution", "cache stats", "cache clear", "trigger create", "trigger update", "trigger get",
        "trigger list", "trigger fire", "trigger delete", "rule create", "rule enable", "rule disable", "rule get",
        "rule list", "rule delete", "publish"})
    void everyCommandHasCompleteHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Cli.Result result = cli().run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: cove " + command).contains("--json").contains("-h, --help");
        // Every option says what it does and, where it has one, its default.
        assertThat(result.out().lines().filter(line -> line.matches("^\\s+(-\\w, )?--[\\w-]+.*"))
                .filter(line -> !line.contains("--help") && !line.contains("--json")))
                .allSatisfy(line -> assertThat(line.replaceFirst("^\\s+(-\\w, )?--\\S+", "").strip()).isNotEmpty());
    }

    @Test
    void optionsThatTalkToAServerShowTheirDefaults() {
        String help = cli().run("deploy", "--help").out().replaceAll("\\s+", " ");

        assertThat(help).contains("(default: $COVE_APIHOST, else the config file's, else http://127.0.0.1:3233)")
                .contains("(default: the deployed version's, else 60s)").contains("else 256)").contains("else 1)")
                .contains("else 4)");
    }

    @Test
    void theTriggerCommandsHelpShowsTopicsRoutesSelectorsAndLabels() {
        assertThat(cli().run("trigger", "create", "--help").out()).contains("--topic=TOPIC").contains("--http=PATH")
                .contains("--method=METHOD").contains("--function=FUNCTION");
        assertThat(cli().run("trigger", "update", "--help").out()).contains("--no-topic").contains("--no-http");
        assertThat(cli().run("rule", "create", "--help").out()).contains("--function-selector=SELECTOR")
                .contains("[FUNCTION]");
        assertThat(cli().run("publish", "--help").out()).contains("TOPIC [JSON|@FILE]").contains("--event-id=ID");
        assertThat(cli().run("deploy", "--help").out()).contains("-l, --label=KEY=VALUE");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result result = cli().run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Usage: cove");
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOnes() {
        Cli.Result result = cli().run("dploy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Did you mean: cove deploy").endsWith("Try 'cove --help' for more information.\n");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        Cli.Result result = cli().run("get");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("Missing required parameter: 'NAME'\nTry 'cove get --help' for more information.\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "get hello", "delete hello", "invoke hello", "activations", "activation abc",
        "logs hello", "logs 7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e", "trigger fire t", "trigger list", "rule enable r",
        "publish t", "rule create r t --function-selector a=b"})
    void aServerThatIsNotRunningIsOneClearLine(String command) {
        Cli.Result result = cli().run(command.split(" "));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Cove is not running at " + closedHost + " - start it with ./cove up\n");
    }

    @Test
    void theApiHostFlagIsTheOneReported() {
        Cli.Result result = Cli.with(Map.of(), dir.resolve("none.json")).run("list", "--apihost", closedHost + "/");

        assertThat(result.err()).isEqualTo("Cove is not running at " + closedHost + " - start it with ./cove up\n");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertThat(cli().run("version").out()).matches("cove \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(cli().run("--version").out()).matches("cove \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(Json.parse(cli().run("version", "--json").out()).orElseThrow().path("version").asText())
                .isEqualTo(VersionCommand.current());
    }

    @Test
    void upRefusesAPortOutOfRangeAsAUsageError() {
        Cli.Result result = cli().run("up", "--port", "70000", "--data", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("port must be between 0 and 65535, was 70000\n");
    }

    @Test
    void followNeedsAName() {
        Cli.Result result = cli().run("logs", "7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e", "--follow");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("--follow needs a function's name, not an activation id\n");
    }

    @Test
    void anActivationIdIsThirtyTwoHexDigits() {
        assertThat(LogsCommand.isActivationId("7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e")).isTrue();
        assertThat(LogsCommand.isActivationId("7F3C9B2E4D1A4C8E9B2E4D1A4C8E9B2E")).isTrue();
        assertThat(LogsCommand.isActivationId("hello")).isFalse();
        assertThat(LogsCommand.isActivationId("7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2")).isFalse();
        assertThat(LogsCommand.isActivationId("7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2g")).isFalse();
    }
}
