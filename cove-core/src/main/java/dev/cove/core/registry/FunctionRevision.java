package dev.cove.core.registry;

import java.time.Instant;

/**
 * One deployed version of a function.
 *
 * @param namespace the namespace it belongs to
 * @param spec what was deployed
 * @param version 1 for the first deployment, bumped by each redeployment
 * @param updated when this version was deployed
 */
public record FunctionRevision(String namespace, FunctionSpec spec, int version, Instant updated) {

    public FunctionRevision {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    public String name() {
        return spec.name();
    }

    /** The version as OpenWhisk spells it: {@code 0.0.N}. */
    public String semver() {
        return "0.0." + version;
    }

    /** {@code namespace/name}, as OpenWhisk's {@code path} annotation. */
    public String path() {
        return namespace + "/" + spec.name();
    }
}
