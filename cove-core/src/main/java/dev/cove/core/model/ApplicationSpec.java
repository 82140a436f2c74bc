package dev.cove.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An application as a user deploys it: functions that work together, deployed as one version, all of
 * them or none.
 *
 * @param name unique within its namespace among applications and the functions outside them
 * @param functions its functions, at least one, each name once
 * @param workflow its workflow definition (Amazon States Language), if it has one
 */
public record ApplicationSpec(String name, List<FunctionSpec> functions, Optional<JsonNode> workflow) {

    /** The most functions one application may have. */
    public static final int MAX_FUNCTIONS = 100;

    public ApplicationSpec {
        FunctionSpec.requireName(name);
        if (functions.isEmpty() || functions.size() > MAX_FUNCTIONS) {
            throw new IllegalArgumentException("an application has 1 to " + MAX_FUNCTIONS + " functions, "
                    + name + " has " + functions.size());
        }
        Set<String> seen = new HashSet<>();
        for (FunctionSpec f : functions) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("the function " + f.name() + " is named twice in the application " + name);
            }
        }
        functions = List.copyOf(functions);
        workflow = workflow.map(JsonNode::deepCopy);
    }

    public List<String> functionNames() {
        return functions.stream().map(FunctionSpec::name).toList();
    }
}
