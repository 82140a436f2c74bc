package dev.cove.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A trigger as stored: its spec, in its namespace, at a version counted from 1 and raised by each change.
 *
 * @param updated when this version was stored; an interval schedule without a start counts from it
 */
public record Trigger(String namespace, TriggerSpec spec, int version, Instant updated) {
    public Trigger {
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

    /** OpenWhisk's semantic version of it: 0.0.VERSION. */
    public String semver() {
        return "0.0." + version;
    }
}
