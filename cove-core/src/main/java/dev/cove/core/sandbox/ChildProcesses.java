package dev.cove.core.sandbox;

import java.util.List;
import java.util.Map;

/**
 * Every process the platform starts is built here, with only the environment it is given: never the
 * server's, which may hold secrets (the Redis password, say) that a helper running as root on the
 * host, or a worker, has no business with. The helpers are named by absolute path and need nothing
 * of it; a worker gets what its runtime sets.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** A process of {@code command} whose environment is {@code environment} and nothing else. */
    public static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }
}
