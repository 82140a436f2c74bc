package dev.cove.core.model;

import java.time.Instant;

/**
 * One deployed version of a function.
 *
 * @param namespace the namespace it belongs to
 * @param spec what was deployed
 * @param version 1 for the first deployment, bumped by each redeployment
 * @param updated when this version was deployed
 * @param application the application it belongs to: its own name when it was deployed alone (an
 *     application of one)
 */
public record FunctionRevision(String namespace, FunctionSpec spec, int version, Instant updated, String application) {

    public FunctionRevision {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        FunctionSpec.requireName(application);
    }

    /** A version of a function deployed alone. */
    public FunctionRevision(String namespace, FunctionSpec spec, int version, Instant updated) {
        this(namespace, spec, version, updated, spec.name());
    }

    public String name() {
        return spec.name();
    }

    /** The version as OpenWhisk spells it: {@code 0.0.N}. */
    public String semver() {
        return semver(version);
    }

    /** A version number as OpenWhisk spells it: {@code 0.0.N}. */
    public static String semver(int version) {
        return "0.0." + version;
    }

    /**
     * {@code namespace/application}: functions with the same key may share a sandbox; functions with
     * different keys never do.
     */
    public String applicationPath() {
        return namespace + "/" + application;
    }

    /** {@code namespace/name}, as OpenWhisk's {@code path} annotation. */
    public String path() {
        return namespace + "/" + spec.name();
    }
}
