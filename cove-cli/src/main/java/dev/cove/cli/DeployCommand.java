package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove deploy FILE}: creates a function, or replaces it with a new version. */
@Command(name = "deploy", description = "Deploy a function from a file; deploying it again makes a new version.",
        footer = {"", "Examples:",
            "  cove deploy examples/hello.js",
            "  cove deploy shop.zip --runtime python:3 --timeout 30s --memory 512 --network outbound",
            "  cove deploy Hello.java --name hello -p greeting '\"Hi\"' -p count 3 -e API_URL=http://x",
            "  cove deploy Probe.java --tier process",
            "  cove deploy downscale.py --label function=downscale --label created-by=cove",
            "  cove deploy handler.py --dependencies requirements.txt"})
final class DeployCommand extends ApiCommand {

    @Parameters(paramLabel = "FILE",
            description = "The function's code: a .js, .py or .java source, a .jar, or a .zip for nodejs or python.")
    Path file;

    @Option(names = "--runtime", paramLabel = "RUNTIME",
            description = "nodejs, python, java, or a kind like nodejs:20 (default: from FILE's extension;"
                    + " for a .zip, nodejs if it has package.json or a .js file at its root, python if it has __main__.py).")
    Optional<String> runtime = Optional.empty();

    @Option(names = "--name", paramLabel = "NAME", description = "The function's name (default: FILE's name without its extension).")
    Optional<String> name = Optional.empty();

    @Option(names = "--main", paramLabel = "ENTRY",
            description = "The entry point: a function's name, or for java a class (default: main, else handler;"
                    + " for java the source's public class or the jar's Main-Class).")
    Optional<String> main = Optional.empty();

    @Option(names = "--tier", paramLabel = "TIER",
            description = "Java only: where the code runs. inline: in the platform's JVM, metered, for code that"
                    + " passes the platform's check (refused otherwise, with the reasons); process: in a JVM of its own"
                    + " in the function's sandbox; auto: inline when the code passes, else process (default: auto).")
    Optional<String> tier = Optional.empty();

    @Option(names = "--dependencies", paramLabel = "FILE",
            description = "The packages the function needs, installed by the server when it deploys: a requirements.txt"
                    + " for python (from the package index the server was started with), a package.json for nodejs"
                    + " (from the npm registry); a package.json beside a .js FILE is taken without this option"
                    + " (default: none).")
    Optional<Path> dependencies = Optional.empty();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long one activation may run: 500ms, 30s, 2m or milliseconds, at most 5m"
                    + " (default: the deployed version's, else 60s).")
    Optional<Duration> timeout = Optional.empty();

    @Option(names = "--memory", paramLabel = "MB", description = "Memory of one instance in MB, 128 to 4096 (default: the deployed version's, else 256).")
    Optional<Integer> memory = Optional.empty();

    @Option(names = "--concurrency", paramLabel = "N",
            description = "How many activations one instance runs at once, 1 to 500"
                    + " (default: the deployed version's, else 1).")
    Optional<Integer> concurrency = Optional.empty();

    @Option(names = "--max-instances", paramLabel = "N",
            description = "How many instances may run at once, 1 to 100 (default: the deployed version's, else 4).")
    Optional<Integer> maxInstances = Optional.empty();

    @Option(names = "--min-instances", paramLabel = "N",
            description = "How many instances are kept started however idle, from deployment on, 0 to --max-instances"
                    + " (default: the deployed version's, else 0: an idle function stops all its instances).")
    Optional<Integer> minInstances = Optional.empty();

    @Option(names = "--idle-timeout", paramLabel = "TIME", converter = Durations.class,
            description = "How long an instance may go without an activation before it stops, 1s to 24h"
                    + " (default: the deployed version's, else 10m).")
    Optional<Duration> idleTimeout = Optional.empty();

    @Option(names = "--network", paramLabel = "MODE",
            description = "What the function may reach: none (its sandbox's own loopback only) or outbound"
                    + " (addresses beyond this machine, never the machine itself) (default: the deployed version's, else none).")
    Optional<String> network = Optional.empty();

    @Option(names = "--debug", paramLabel = "on|off",
            description = "Whether an operator may open a debug shell in the function's sandboxes (cove debug), and"
                    + " a failed one is kept for it; off for a function whose sandboxes hold what no one should see"
                    + " (default: the deployed version's, else on).")
    Optional<String> debug = Optional.empty();

    @Option(names = {"-p", "--param"}, arity = "2", paramLabel = "KEY VALUE", hideParamSyntax = true,
            description = "A default parameter, repeatable; a VALUE that parses as JSON is sent as that JSON,"
                    + " anything else as a string. Any -p or -e replaces all the deployed version's parameters"
                    + " and environment (default: the deployed version's, else none).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "An environment variable of the function, repeatable (default: the deployed version's,"
                    + " else none).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE",
            description = "A label of the function, repeatable, that rules' --function-selector match; any --label"
                    + " replaces all the deployed version's labels (default: the deployed version's, else none).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    int run(CoveClient client) {
        String functionName = name.orElseGet(() -> Runtimes.baseName(file));
        ObjectNode body = body();
        boolean installs = body.path("exec").has("dependencies");
        CoveClient.Response response = installing(installs,
                () -> client.putAction(functionName, body, file.toString(), installs));
        if (json()) {
            out().println(response.body());
            return 0;
        }
        JsonNode action = response.json();
        out().printf("deployed %s (%s) as version %s%n", Json.text(action, "name"),
                Json.text(action.path("exec"), "kind"), Json.text(action, "version"));
        action.path("changes").forEach(change -> out().println(change.asText()));
        GetCommand.tierLine(action).ifPresent(tier -> out().println("tier: " + tier));
        return 0;
    }

    /**
     * The PUT body: exec, and what the options give. What they don't give, the server keeps from the
     * deployed version (as {@code wsk action update} does): its limits, and its parameters and
     * environment unless {@code -p} or {@code -e} replace them all.
     */
    ObjectNode body() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("exec", exec());
        if (!params.isEmpty() || !env.isEmpty()) {
            ArrayNode parameters = body.putArray("parameters");
            Json.parameters(params).properties()
                    .forEach(param -> parameters.addObject().put("key", param.getKey()).set("value", param.getValue()));
            env.forEach((key, value) -> parameters.addObject().put("key", key).put("value", value).put("init", true));
        }
        ObjectNode limits = Json.MAPPER.createObjectNode();
        timeout.ifPresent(value -> limits.put("timeout", value.toMillis()));
        memory.ifPresent(value -> limits.put("memory", value));
        concurrency.ifPresent(value -> limits.put("concurrency", value));
        maxInstances.ifPresent(value -> limits.put("maxInstances", value));
        minInstances.ifPresent(value -> limits.put("minInstances", value));
        idleTimeout.ifPresent(value -> limits.put("idleTimeout", value.toMillis()));
        network.ifPresent(value -> limits.put("network", value));
        if (debug.isPresent()) {
            limits.put("debug", onOrOff(debug.get()));
        }
        if (!limits.isEmpty()) {
            body.set("limits", limits);
        }
        if (!labels.isEmpty()) {
            ObjectNode map = body.putObject("labels");
            labels.forEach(map::put);
        }
        return body;
    }

    private boolean onOrOff(String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw usage("--debug takes on or off, was '" + value + "'");
        };
    }

    private ObjectNode exec() {
        try {
            ObjectNode exec = FunctionFile.exec(file, runtime, main);
            tier.ifPresent(value -> exec.put("tier", value));
            FunctionFile.dependencies(file, Json.text(exec, "kind"), dependencies)
                    .ifPresent(text -> exec.put("dependencies", text));
            return exec;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
