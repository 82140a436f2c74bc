package dev.cove.core.workflow;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A parsed, valid state machine: the top level, a Parallel branch or a Map iterator. */
record Machine(String startAt, Map<String, State> states, Optional<Duration> timeout) {
    Machine {
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
        if (!states.containsKey(startAt)) {
            throw new IllegalArgumentException("StartAt names \"" + startAt + "\", which is not a state");
        }
    }

    State state(String name) {
        State state = states.get(name);
        if (state == null) {
            throw new IllegalStateException("no state \"" + name + "\"; the parser checks every transition");
        }
        return state;
    }
}
