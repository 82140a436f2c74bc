package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cove.core.model.Dependencies;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Messages;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a function's dependencies may name. npm and pip run on the host, outside every sandbox, so a
 * list may name packages of the registry or index only: not a file or folder of the host (which
 * would copy it into the function's reach), not pip's options (which choose where pip looks and what
 * it reads, the operator's choice), not a URL pip would fetch past the index the operator gave.
 */
final class DependencyRules {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NODE_SECTIONS =
            List.of("dependencies", "optionalDependencies", "peerDependencies", "devDependencies");
    private static final Pattern LOCAL_NODE_SPEC = Pattern.compile("(?i)(file:|link:|git\\+file:|/|\\./|\\.\\./|~/).*");
    /** A comment: '#' at a line's start or after white space (pip's rule). */
    private static final Pattern PIP_COMMENT = Pattern.compile("(^|\\s+)#.*$");

    private DependencyRules() {}

    /** Why the list can't be installed, in the user's words; empty when it can. */
    static Optional<String> refusal(Kind kind, Dependencies dependencies) {
        return kind == Kind.NODEJS ? nodeRefusal(dependencies.text()) : pipRefusal(dependencies.text());
    }

    private static Optional<String> nodeRefusal(String packageJson) {
        JsonNode json;
        try {
            json = JSON.readTree(packageJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("a node function's package.json was accepted without being JSON", e);
        }
        String file = Dependencies.fileName(Kind.NODEJS);
        if (json.has("workspaces")) {
            return Optional.of(Messages.dependencyRefused(file, "workspaces", "workspaces are folders of the host"));
        }
        for (String section : NODE_SECTIONS) {
            for (Map.Entry<String, JsonNode> dependency : json.path(section).properties()) {
                String spec = dependency.getValue().asText();
                if (LOCAL_NODE_SPEC.matcher(spec).matches()) {
                    return Optional.of(Messages.dependencyRefused(file, dependency.getKey() + ": " + spec,
                            "a file or folder of the host; name packages of the npm registry"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> pipRefusal(String requirements) {
        String file = Dependencies.fileName(Kind.PYTHON);
        for (String raw : requirements.replace("\\\r\n", "").replace("\\\n", "").split("\r?\n")) {
            String line = PIP_COMMENT.matcher(raw).replaceFirst("").strip();
            String lower = line.toLowerCase(Locale.ROOT);
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                return Optional.of(Messages.dependencyRefused(file, line, "pip's options are the operator's"
                        + " (cove up --pip-index-url, --pip-find-links); list only requirements"));
            }
            if (lower.contains("file:") || line.startsWith(".") || line.startsWith("/") || line.startsWith("~")) {
                return Optional.of(Messages.dependencyRefused(file, line,
                        "a file or folder of the host; name packages of the package index"));
            }
            if (lower.contains("://")) {
                return Optional.of(Messages.dependencyRefused(file, line,
                        "a URL; packages come from the package index the server is given"));
            }
        }
        return Optional.empty();
    }
}
