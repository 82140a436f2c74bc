package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a definition into a {@link Machine}, checking all that can be checked before it runs: field
 * names, types and ranges, every transition's target, and that every state can be reached.
 */
final class Parser {
    private static final List<String> IO = List.of("InputPath", "OutputPath");
    private static final List<String> NEXT = List.of("Next", "End");
    private static final List<String> RESULT = List.of("ResultPath", "ResultSelector", "Parameters");
    private static final List<String> RECOVERY = List.of("Retry", "Catch");

    /** The fields each Type allows, besides Type and Comment. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "Task", concat(IO, NEXT, RESULT, RECOVERY, List.of("Resource", "TimeoutSeconds")),
            "Pass", concat(IO, NEXT, List.of("Result", "ResultPath", "Parameters")),
            "Choice", concat(IO, List.of("Choices", "Default")),
            "Wait", concat(IO, NEXT, List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")),
            "Succeed", IO,
            "Fail", List.of("Error", "Cause"),
            "Parallel", concat(IO, NEXT, RESULT, RECOVERY, List.of("Branches")),
            "Map", concat(IO, NEXT, RESULT, RECOVERY,
                    List.of("ItemsPath", "MaxConcurrency", "Iterator", "ItemProcessor", "ItemSelector")));
    private static final List<String> MACHINE = List.of("StartAt", "States", "Comment");
    private static final List<String> TOP = List.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds");
    private static final List<String> PROCESSOR = List.of("StartAt", "States", "Comment", "ProcessorConfig");
    private static final List<String> RETRIER = List.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "Comment");
    private static final List<String> CATCHER = List.of("ErrorEquals", "Next", "ResultPath", "Comment");
    static final List<String> OTHER_FIELDS = concat(TOP, PROCESSOR, RETRIER, CATCHER, List.of("Type", "Mode"));
    private static final Set<String> ERROR_NAMES = Set.of(Failure.ALL, Failure.TIMEOUT, Failure.TASK_FAILED,
            Failure.RUNTIME, Failure.NO_CHOICE_MATCHED, "States.BranchFailed", "States.Permissions",
            "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.IntrinsicFailure",
            "States.HeartbeatTimeout", "States.DataLimitExceeded", "States.ExceedToleratedFailureThreshold",
            "States.ItemReaderFailed", "States.ResultWriterFailed");

    private final Set<String> resources = new HashSet<>();

    /** Every Task Resource met so far, nested machines included. */
    Set<String> resources() {
        return Set.copyOf(resources);
    }

    Machine top(JsonNode definition) throws InvalidWorkflowException {
        Fields fields = Fields.of(definition, "", "A workflow definition");
        fields.only(TOP, "a workflow definition");
        fields.text("Version");
        fields.text("Comment");
        return machine(fields, "", fields.seconds("TimeoutSeconds"));
    }

    private Machine nested(JsonNode json, String where, boolean processor) throws InvalidWorkflowException {
        Fields fields = Fields.of(json, where, "it");
        fields.only(processor ? PROCESSOR : MACHINE, processor ? "an ItemProcessor" : "a Parallel branch");
        fields.text("Comment");
        if (processor && fields.has("ProcessorConfig")) {
            processorConfig(Fields.of(fields.required("ProcessorConfig"), where + ": ProcessorConfig", "it"));
        }
        return machine(fields, where + ": ", Optional.empty());
    }

    private static void processorConfig(Fields config) throws InvalidWorkflowException {
        config.only(List.of("Mode", "ExecutionType"), "a ProcessorConfig");
        Optional<String> mode = config.text("Mode");
        if (mode.isPresent() && !mode.get().equals("INLINE")) {
            throw config.invalid("Mode \"" + mode.get() + "\" is not supported; Cove runs Map states INLINE");
        }
    }

    /** @param prefix what goes before {@code state "X"} in errors: empty, or where the nested machine sits */
    private Machine machine(Fields fields, String prefix, Optional<Duration> timeout) throws InvalidWorkflowException {
        String startAt = fields.requiredText("StartAt");
        Fields states = Fields.of(fields.required("States"), fields.where(), "States");
        if (states.names().isEmpty()) {
            throw fields.invalid("States is empty");
        }
        Set<String> names = Set.copyOf(states.names());
        if (!names.contains(startAt)) {
            throw fields.invalid("StartAt names \"" + startAt + "\", which is not a state");
        }
        Map<String, State> parsed = new LinkedHashMap<>();
        for (String name : states.names()) {
            Fields state = Fields.of(states.required(name), prefix + "state \"" + name + "\"", "a state");
            parsed.put(name, state(state, name, names));
        }
        requireReachable(startAt, parsed, prefix);
        return new Machine(startAt, parsed, timeout);
    }

    private static void requireReachable(String startAt, Map<String, State> states, String prefix)
            throws InvalidWorkflowException {
        Set<String> reached = new HashSet<>(Set.of(startAt));
        Deque<String> work = new ArrayDeque<>(reached);
        while (!work.isEmpty()) {
            for (String target : states.get(work.pop()).targets()) {
                if (reached.add(target)) {
                    work.push(target);
                }
            }
        }
        for (String name : states.keySet()) {
            if (!reached.contains(name)) {
                throw new InvalidWorkflowException(prefix + "state \"" + name + "\" can't be reached from StartAt");
            }
        }
    }

    private State state(Fields state, String name, Set<String> names) throws InvalidWorkflowException {
        JsonNode typeNode = state.required("Type");
        String type = typeNode.asText();
        if (!typeNode.isTextual() || !FIELDS.containsKey(type)) {
            throw state.invalid("unknown Type " + Fields.shown(typeNode) + "; the types are "
                    + "Task, Pass, Choice, Wait, Succeed, Fail, Parallel and Map");
        }
        state.only(concat(FIELDS.get(type), List.of("Type", "Comment")), "a " + type + " state");
        state.text("Comment");
        return switch (type) {
            case "Task" -> task(state, name, names);
            case "Pass" -> new State.Pass(name, io(state), next(state, names),
                    state.node("Result").map(JsonNode::deepCopy));
            case "Choice" -> choice(state, name, names);
            case "Wait" -> new State.Wait(name, io(state), next(state, names), until(state));
            case "Succeed" -> new State.Succeed(name, io(state));
            case "Fail" -> new State.Fail(name, new Failure(state.text("Error"), state.text("Cause")));
            case "Parallel" -> parallel(state, name, names);
            default -> each(state, name, names);
        };
    }

    private State task(Fields state, String name, Set<String> names) throws InvalidWorkflowException {
        String resource = state.requiredText("Resource");
        resources.add(resource);
        return new State.Task(name, io(state), next(state, names), resource, state.seconds("TimeoutSeconds"),
                recovery(state, names));
    }

    private static State choice(Fields state, String name, Set<String> names) throws InvalidWorkflowException {
        List<State.Choice.Rule> rules = new ArrayList<>();
        List<JsonNode> choices = state.array("Choices");
        for (int i = 0; i < choices.size(); i++) {
            Fields rule = Fields.of(choices.get(i), state.where() + ": Choice rule " + (i + 1), "it");
            ChoiceRule condition = ChoiceRule.parse(rule, true);
            rules.add(new State.Choice.Rule(condition, target(rule, "Next", names)));
        }
        Optional<String> otherwise = state.has("Default") ? Optional.of(target(state, "Default", names))
                : Optional.empty();
        return new State.Choice(name, io(state), rules, otherwise);
    }

    private static State.Wait.Until until(Fields state) throws InvalidWorkflowException {
        List<String> given = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath").stream()
                .filter(state::has).toList();
        if (given.size() != 1) {
            throw state.invalid("a Wait state needs exactly one of Seconds, Timestamp, SecondsPath and "
                    + "TimestampPath, has " + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
        return switch (given.get(0)) {
            case "Seconds" -> new State.Wait.Seconds(state.integer("Seconds", 0).orElseThrow());
            case "Timestamp" -> new State.Wait.Timestamp(timestamp(state));
            case "SecondsPath" -> new State.Wait.SecondsPath(state.path("SecondsPath").orElseThrow());
            default -> new State.Wait.TimestampPath(state.path("TimestampPath").orElseThrow());
        };
    }

    private static Instant timestamp(Fields state) throws InvalidWorkflowException {
        JsonNode value = state.required("Timestamp");
        return ChoiceRule.timestamp(value).orElseThrow(() -> state.invalid("Timestamp must be an RFC 3339 "
                + "timestamp such as \"2026-01-31T12:00:00Z\", was " + Fields.shown(value)));
    }

    private State parallel(Fields state, String name, Set<String> names) throws InvalidWorkflowException {
        List<Machine> branches = new ArrayList<>();
        List<JsonNode> json = state.array("Branches");
        for (int i = 0; i < json.size(); i++) {
            branches.add(nested(json.get(i), state.where() + " branch " + (i + 1), false));
        }
        return new State.Parallel(name, io(state), next(state, names), branches, recovery(state, names));
    }

    private State each(Fields state, String name, Set<String> names) throws InvalidWorkflowException {
        String processor = exactlyOne(state, "Iterator", "ItemProcessor", true).orElseThrow();
        Optional<String> selector = exactlyOne(state, "Parameters", "ItemSelector", false);
        Optional<Template> itemSelector = selector.isPresent() ? state.template(selector.get()) : Optional.empty();
        Machine iterator = nested(state.required(processor), state.where() + " " + processor, true);
        int maxConcurrency = Math.toIntExact(Math.min(Integer.MAX_VALUE, state.integer("MaxConcurrency", 0).orElse(0L)));
        Io io = new Io(state.pathOrNull("InputPath"), Optional.empty(), state.template("ResultSelector"),
                state.pathOrNull("ResultPath"), state.pathOrNull("OutputPath"));
        requireFieldsOnly(state, "ResultPath");
        return new State.Each(name, io, next(state, names), state.path("ItemsPath").orElse(Path.ROOT), itemSelector,
                maxConcurrency, iterator, recovery(state, names));
    }

    private static Optional<String> exactlyOne(Fields state, String first, String second, boolean required)
            throws InvalidWorkflowException {
        if (state.has(first) && state.has(second)) {
            throw state.invalid("has both " + first + " and " + second + "; they are two names for one field");
        }
        if (required && !state.has(first) && !state.has(second)) {
            throw state.invalid("a Map state needs an " + second);
        }
        return state.has(first) ? Optional.of(first) : state.has(second) ? Optional.of(second) : Optional.empty();
    }

    private static Io io(Fields state) throws InvalidWorkflowException {
        requireFieldsOnly(state, "ResultPath");
        return new Io(state.pathOrNull("InputPath"), state.template("Parameters"), state.template("ResultSelector"),
                state.pathOrNull("ResultPath"), state.pathOrNull("OutputPath"));
    }

    private static void requireFieldsOnly(Fields state, String field) throws InvalidWorkflowException {
        Optional<Path> path = state.pathOrNull(field).filter(p -> state.has(field));
        if (path.isPresent() && (path.get().context() || !path.get().onlyFields())) {
            throw state.invalid(field + " \"" + path.get().text() + "\" can only name fields of the input, "
                    + "like $.a.b or $['a b']");
        }
    }

    private static Optional<String> next(Fields state, Set<String> names) throws InvalidWorkflowException {
        Optional<JsonNode> end = state.node("End");
        if (end.isPresent() && !end.get().equals(BooleanNode.TRUE)) {
            throw state.invalid("End must be true, was " + Fields.shown(end.get()) + "; leave it out and give Next");
        }
        if (end.isPresent() == state.has("Next")) {
            throw state.itself(end.isPresent() ? "has both Next and End" : "has neither Next nor End");
        }
        return end.isPresent() ? Optional.empty() : Optional.of(target(state, "Next", names));
    }

    private static String target(Fields fields, String field, Set<String> names) throws InvalidWorkflowException {
        String target = fields.requiredText(field);
        if (!names.contains(target)) {
            throw fields.invalid(field + " names \"" + target + "\", which is not a state"
                    + Spelling.suggestion(target, names));
        }
        return target;
    }

    private static Recovery recovery(Fields state, Set<String> names) throws InvalidWorkflowException {
        List<Recovery.Retrier> retriers = new ArrayList<>();
        List<JsonNode> retry = state.has("Retry") ? state.array("Retry") : List.of();
        for (int i = 0; i < retry.size(); i++) {
            Fields retrier = Fields.of(retry.get(i), state.where() + ": Retry " + (i + 1), "it");
            retriers.add(retrier(retrier, i == retry.size() - 1));
        }
        List<Recovery.Catcher> catchers = new ArrayList<>();
        List<JsonNode> catches = state.has("Catch") ? state.array("Catch") : List.of();
        for (int i = 0; i < catches.size(); i++) {
            Fields catcher = Fields.of(catches.get(i), state.where() + ": Catch " + (i + 1), "it");
            catchers.add(catcher(catcher, i == catches.size() - 1, names));
        }
        return new Recovery(retriers, catchers);
    }

    private static Recovery.Retrier retrier(Fields retrier, boolean last) throws InvalidWorkflowException {
        retrier.only(RETRIER, "a Retry");
        retrier.text("Comment");
        return new Recovery.Retrier(errorEquals(retrier, last),
                retrier.seconds("IntervalSeconds").orElse(Duration.ofSeconds(1)),
                Math.toIntExact(Math.min(Integer.MAX_VALUE, retrier.integer("MaxAttempts", 0).orElse(3L))),
                retrier.number("BackoffRate", 1.0).orElse(2.0), retrier.seconds("MaxDelaySeconds"));
    }

    private static Recovery.Catcher catcher(Fields catcher, boolean last, Set<String> names)
            throws InvalidWorkflowException {
        catcher.only(CATCHER, "a Catch");
        catcher.text("Comment");
        requireFieldsOnly(catcher, "ResultPath");
        return new Recovery.Catcher(errorEquals(catcher, last), target(catcher, "Next", names),
                catcher.pathOrNull("ResultPath"));
    }

    private static List<String> errorEquals(Fields fields, boolean last) throws InvalidWorkflowException {
        List<String> errors = fields.texts("ErrorEquals");
        for (String error : errors) {
            if (error.startsWith("States.") && !ERROR_NAMES.contains(error)) {
                throw fields.invalid("ErrorEquals names \"" + error + "\", which is not an error name ASL defines");
            }
        }
        if (errors.contains(Failure.ALL) && errors.size() > 1) {
            throw fields.invalid("States.ALL must be alone in its ErrorEquals");
        }
        if (errors.contains(Failure.ALL) && !last) {
            throw fields.invalid("States.ALL must be in the last entry of its list");
        }
        return errors;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }
}
