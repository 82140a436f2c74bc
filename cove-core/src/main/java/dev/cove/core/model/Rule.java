package dev.cove.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A rule as stored.
 *
 * @param active whether its trigger's fires invoke its function now
 * @param version counted from 1, raised by each change, its status's too
 */
public record Rule(String namespace, RuleSpec spec, boolean active, int version, Instant updated) {
    public Rule {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(updated, "updated");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    public String name() {
        return spec.name();
    }

    public String semver() {
        return "0.0." + version;
    }
}
