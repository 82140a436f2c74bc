package dev.cove.core.registry;

import java.util.Optional;

/**
 * Which activations to list, newest first.
 *
 * @param namespace whose
 * @param name only this function's, when present
 * @param sinceMillis only those started at or after, when present
 * @param uptoMillis only those started at or before, when present
 * @param skip how many of the newest to pass over
 * @param limit how many at most
 */
public record ActivationQuery(
        String namespace, Optional<String> name, Optional<Long> sinceMillis, Optional<Long> uptoMillis, int skip,
        int limit) {

    public static final int MAX_LIMIT = 200;

    public ActivationQuery {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be 0 or more, was " + skip);
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 0 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    public static ActivationQuery latest(String namespace, int limit) {
        return new ActivationQuery(namespace, Optional.empty(), Optional.empty(), Optional.empty(), 0, limit);
    }
}
