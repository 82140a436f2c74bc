package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.IntFunction;

/**
 * The child scopes of one Parallel or Map state: starts them (at most {@code limit} at a time), gathers
 * their outputs in order, and ends the state with the array of them, or with the first child's error
 * (the parent scope then stops the others).
 */
final class Fanout {
    private final Scope scope;
    private final String state;
    private final Kind kind;
    private final IntFunction<JsonNode> inputOf;
    private final IntFunction<Machine> machineOf;
    private final Scope.Parent work;
    private final ArrayNode outputs;
    private final int count;
    private final int limit;
    private int started;
    private int running;
    private int finished;
    private boolean done;

    /** Which history events the children's starts and ends are. */
    private enum Kind {
        BRANCH(HistoryEvent.Type.BranchStarted, HistoryEvent.Type.BranchSucceeded, HistoryEvent.Type.BranchFailed),
        ITERATION(HistoryEvent.Type.MapIterationStarted, HistoryEvent.Type.MapIterationSucceeded,
                HistoryEvent.Type.MapIterationFailed);

        final HistoryEvent.Type started;
        final HistoryEvent.Type succeeded;
        final HistoryEvent.Type failed;

        Kind(HistoryEvent.Type started, HistoryEvent.Type succeeded, HistoryEvent.Type failed) {
            this.started = started;
            this.succeeded = succeeded;
            this.failed = failed;
        }
    }

    private Fanout(Scope scope, String state, Kind kind, int count, int limit, IntFunction<JsonNode> inputOf,
            IntFunction<Machine> machineOf, Scope.Parent work) {
        this.scope = scope;
        this.state = state;
        this.kind = kind;
        this.count = count;
        this.limit = limit == 0 ? count : Math.min(limit, count);
        this.inputOf = inputOf;
        this.machineOf = machineOf;
        this.work = work;
        this.outputs = JsonNodeFactory.instance.arrayNode(count);
        for (int i = 0; i < count; i++) {
            outputs.addNull();
        }
    }

    /** Every branch on the same input, all at once. */
    static void parallel(Scope scope, State.Parallel parallel, JsonNode input, Scope.Parent work) {
        new Fanout(scope, parallel.name(), Kind.BRANCH, parallel.branches().size(), 0, index -> input,
                parallel.branches()::get, work).launch();
    }

    /**
     * The iterator on every item ItemsPath selects, each item through the ItemSelector if there is one
     * (where {@code $$.Map.Item.Index} and {@code .Value} name the item).
     */
    static void map(Scope scope, State.Each each, JsonNode input, ObjectNode context, Scope.Parent work) {
        JsonNode items = each.itemsPath().read(input, context, "ItemsPath");
        if (!items.isArray()) {
            throw Fault.runtime("ItemsPath \"" + each.itemsPath().text() + "\" selected " + Path.kind(items)
                    + ", not an array");
        }
        IntFunction<JsonNode> inputOf = index -> each.itemSelector().map(selector -> selector.apply(input,
                itemContext(context, index, items.get(index)), "ItemSelector")).orElse(items.get(index));
        new Fanout(scope, each.name(), Kind.ITERATION, items.size(), each.maxConcurrency(), inputOf,
                index -> each.iterator(), work).launch();
    }

    private static ObjectNode itemContext(ObjectNode context, int index, JsonNode value) {
        ObjectNode withItem = context.deepCopy();
        ObjectNode item = withItem.putObject("Map").putObject("Item").put("Index", index);
        item.set("Value", value);
        return withItem;
    }

    private void launch() {
        if (count == 0) {
            succeed();
            return;
        }
        while (!done && running < limit && started < count) {
            start(started++);
        }
    }

    private void start(int index) {
        running++;
        JsonNode input;
        try {
            input = inputOf.apply(index);
        } catch (Fault fault) {
            fail(fault.failure());
            return;
        }
        Scope child = scope.child(state, index, machineOf.apply(index), new Scope.Parent() {
            @Override
            public void succeeded(JsonNode output) {
                childSucceeded(index, output);
            }

            @Override
            public void failed(Failure failure) {
                scope.emit(kind.failed, state, failure.details().put("index", index));
                fail(failure);
            }
        });
        scope.emit(kind.started, state, Interpreter.details("input", input).put("index", index));
        scope.post(() -> child.begin(input));
    }

    private void childSucceeded(int index, JsonNode output) {
        scope.emit(kind.succeeded, state, Interpreter.details("output", output).put("index", index));
        outputs.set(index, output);
        running--;
        if (++finished == count) {
            succeed();
        } else {
            launch();
        }
    }

    private void succeed() {
        done = true;
        work.succeeded(outputs);
    }

    private void fail(Failure failure) {
        done = true;
        work.failed(failure);
    }
}
