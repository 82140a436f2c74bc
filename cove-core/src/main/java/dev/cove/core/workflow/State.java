package dev.cove.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One parsed state. {@code next} is empty for a state that ends its machine ({@code "End": true}). */
sealed interface State {

    String name();

    Io io();

    /** Every state this one may hand over to, for the parser's checks. */
    List<String> targets();

    record Task(String name, Io io, Optional<String> next, String resource, Optional<Duration> timeout,
            Recovery recovery) implements State {
        @Override
        public List<String> targets() {
            return withCatchers(next, recovery);
        }
    }

    record Pass(String name, Io io, Optional<String> next, Optional<JsonNode> result) implements State {
        @Override
        public List<String> targets() {
            return next.stream().toList();
        }
    }

    record Choice(String name, Io io, List<Rule> rules, Optional<String> otherwise) implements State {
        record Rule(ChoiceRule condition, String next) {}

        public Choice {
            rules = List.copyOf(rules);
        }

        @Override
        public List<String> targets() {
            List<String> targets = new ArrayList<>(rules.stream().map(Rule::next).toList());
            otherwise.ifPresent(targets::add);
            return targets;
        }
    }

    record Wait(String name, Io io, Optional<String> next, Until until) implements State {
        /** Which of the four fields says how long. */
        sealed interface Until {}

        record Seconds(long seconds) implements Until {}

        record Timestamp(Instant instant) implements Until {}

        record SecondsPath(Path path) implements Until {}

        record TimestampPath(Path path) implements Until {}

        @Override
        public List<String> targets() {
            return next.stream().toList();
        }
    }

    record Succeed(String name, Io io) implements State {
        @Override
        public List<String> targets() {
            return List.of();
        }
    }

    record Fail(String name, Failure failure) implements State {
        @Override
        public Io io() {
            return Io.DEFAULT;
        }

        @Override
        public List<String> targets() {
            return List.of();
        }
    }

    record Parallel(String name, Io io, Optional<String> next, List<Machine> branches, Recovery recovery)
            implements State {
        public Parallel {
            branches = List.copyOf(branches);
        }

        @Override
        public List<String> targets() {
            return withCatchers(next, recovery);
        }
    }

    /** A Map state; {@code maxConcurrency} 0 means no limit. */
    record Each(String name, Io io, Optional<String> next, Path itemsPath, Optional<Template> itemSelector,
            int maxConcurrency, Machine iterator, Recovery recovery) implements State {
        @Override
        public List<String> targets() {
            return withCatchers(next, recovery);
        }
    }

    private static List<String> withCatchers(Optional<String> next, Recovery recovery) {
        List<String> targets = new ArrayList<>(next.stream().toList());
        recovery.catchers().forEach(catcher -> targets.add(catcher.next()));
        return targets;
    }
}
