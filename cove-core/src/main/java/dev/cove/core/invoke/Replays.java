package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.core.model.FunctionRevision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What running a failed activation again takes, remembered for the node's last {@link #KEPT} failed
 * activations until it stops: the function version and the parameters it ran with (the records don't
 * keep parameters). Successes are not remembered: their parameters would cost every call, and a
 * replay is for a failure.
 */
final class Replays {
    static final int KEPT = 100;

    /** @param inline whether it ran in the inline tier, in the server's JVM, which leaves no sandbox */
    record Failure(FunctionRevision revision, JsonNode params, boolean inline) {}

    private final LinkedHashMap<String, Failure> failures = new LinkedHashMap<>(KEPT, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failure> eldest) {
            return size() > KEPT;
        }
    };

    synchronized void remember(String activationId, FunctionRevision revision, JsonNode params, boolean inline) {
        failures.put(activationId, new Failure(revision, params, inline));
    }

    synchronized Optional<Failure> find(String namespace, String activationId) {
        return Optional.ofNullable(failures.get(activationId)).filter(f -> f.revision().namespace().equals(namespace));
    }
}
