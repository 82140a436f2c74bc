package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cove get NAME}: one function's settings, and with {@code --code} its code. */
@Command(name = "get", description = "Show a function: its version, runtime, limits, labels, parameters and environment.")
final class GetCommand extends ApiCommand {

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Option(names = "--code", description = "Include the function's code (default: without it).")
    boolean code;

    @Override
    int run(CoveClient client) {
        CoveClient.Response response = client.getAction(name, code);
        if (json()) {
            out().println(response.body());
            return 0;
        }
        describe(response.json()).forEach(out()::println);
        return 0;
    }

    /**
     * Where a Java function runs, and why not inline: {@code process (Probe.main calls
     * java.nio.file.Files.readString)}; empty for other kinds.
     */
    static Optional<String> tierLine(JsonNode action) {
        JsonNode tier = action.path("tier");
        if (!tier.isObject()) {
            return Optional.empty();
        }
        String runs = Json.text(tier, "runs");
        return Optional.of(tier.has("reason") ? runs + " (" + Json.text(tier, "reason") + ")" : runs);
    }

    /**
     * The packages a function's dependencies name: a package.json's {@code dependencies} as {@code
     * name@version}, a requirements.txt's lines without comments.
     */
    static List<String> dependencies(JsonNode exec) {
        String text = Json.text(exec, "dependencies");
        List<String> named = new ArrayList<>();
        if (text.isBlank()) {
            return named;
        }
        if (Json.text(exec, "kind").startsWith("nodejs")) {
            Json.parse(text).ifPresent(packageJson -> packageJson.path("dependencies").properties()
                    .forEach(dependency -> named.add(dependency.getKey() + "@" + dependency.getValue().asText())));
            return named;
        }
        text.lines().map(line -> line.replaceFirst("(^|\\s+)#.*$", "").strip())
                .filter(line -> !line.isEmpty()).forEach(named::add);
        return named;
    }

    /** The action as lines of text for a person. */
    static List<String> describe(JsonNode action) {
        JsonNode exec = action.path("exec");
        JsonNode limits = action.path("limits");
        List<String> lines = new ArrayList<>();
        lines.add("name        " + Json.text(action, "name"));
        lines.add("version     " + Json.text(action, "version"));
        lines.add("kind        " + Json.text(exec, "kind"));
        if (exec.has("main")) {
            lines.add("main        " + Json.text(exec, "main"));
        }
        tierLine(action).ifPresent(tier -> lines.add("tier        " + tier));
        dependencies(exec).forEach(dependency -> lines.add("dependency  " + dependency));
        lines.add("limits      timeout " + Json.text(limits, "timeout") + " ms, memory " + Json.text(limits, "memory")
                + " MB, concurrency " + Json.text(limits, "concurrency") + ", max instances "
                + Json.text(limits, "maxInstances") + ", logs " + Json.text(limits, "logs") + " MB, network "
                + Json.text(limits, "network"));
        if (limits.has("idleTimeout")) {
            lines.add("scaling     min instances " + Json.text(limits, "minInstances") + ", idle timeout "
                    + Json.text(limits, "idleTimeout") + " ms");
        }
        if (limits.path("debug").isBoolean() && !limits.path("debug").booleanValue()) {
            lines.add("debug       off: no debug shell opens in its sandboxes, and no failed one is kept");
        }
        JsonNode instances = action.path("instances");
        if (instances.isObject()) {
            lines.add("instances   " + Json.text(instances, "busy") + " busy, " + Json.text(instances, "idle") + " idle, "
                    + Json.text(instances, "paused") + " paused, " + Json.text(instances, "starting") + " starting");
        }
        action.path("labels").properties().forEach(label ->
                lines.add("label       " + label.getKey() + "=" + label.getValue().asText()));
        for (JsonNode parameter : action.path("parameters")) {
            lines.add("parameter   " + Json.text(parameter, "key") + " = " + Json.compact(parameter.path("value")));
        }
        action.path("env").properties().forEach(variable ->
                lines.add("env         " + variable.getKey() + "=" + variable.getValue().asText()));
        long updated = action.path("updated").asLong();
        if (updated > 0) {
            lines.add("updated     " + Output.time(updated, ZoneId.systemDefault()));
        }
        if (exec.has("code")) {
            lines.add("");
            lines.add(exec.path("binary").asBoolean()
                    ? "(binary code, " + Json.text(exec, "code").length() + " characters of base64)"
                    : Json.text(exec, "code"));
        }
        return lines;
    }
}
