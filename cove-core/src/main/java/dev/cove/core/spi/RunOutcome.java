package dev.cove.core.spi;

import dev.cove.core.model.JsonValue;

/** How an activation ended, as the runtime saw it. The dispatcher turns it into a classified status. */
public sealed interface RunOutcome {

    /** The function returned a JSON object (or array). */
    record Returned(JsonValue result) implements RunOutcome {}

    /** The function is at fault: it threw, returned something that is not a JSON object, or too much. */
    record Failed(String message) implements RunOutcome {}

    /** The instance died under the activation (the process exited, or was killed). */
    record Crashed(String message) implements RunOutcome {}

    /**
     * The inline tier stopped the activation where the process tier would not have (see
     * docs/functions.md, "Tiers"), before it did anything with effects: it runs again, from the start,
     * in an instance of the process tier, which its function moved to.
     *
     * @param reason what stopped it, for its logs
     */
    record Rerun(String reason) implements RunOutcome {}
}
