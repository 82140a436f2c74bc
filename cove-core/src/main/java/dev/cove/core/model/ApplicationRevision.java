package dev.cove.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One deployed version of an application.
 *
 * @param namespace the namespace it belongs to
 * @param name its name
 * @param version 1 for the first deployment, bumped by each redeployment
 * @param updated when this version was deployed
 * @param functions its functions as they are now, by name (a function redeployed alone since keeps
 *     its place in the application with a newer version of its own)
 * @param workflow its workflow definition, if it has one
 */
public record ApplicationRevision(String namespace, String name, int version, Instant updated,
        List<FunctionRevision> functions, Optional<JsonNode> workflow) {

    public ApplicationRevision {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        functions = List.copyOf(functions);
        workflow = workflow.map(JsonNode::deepCopy);
    }

    public Optional<FunctionRevision> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }

    public List<String> functionNames() {
        return functions.stream().map(FunctionRevision::name).toList();
    }

    /** The version as OpenWhisk spells versions: {@code 0.0.N}. */
    public String semver() {
        return "0.0." + version;
    }
}
