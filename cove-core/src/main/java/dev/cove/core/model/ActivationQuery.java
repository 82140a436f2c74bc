package dev.cove.core.model;

import java.util.Optional;

/**
 * Which activations to list, newest first.
 *
 * @param namespace whose
 * @param name only this function's, when present
 * @param sinceMillis only those started at or after, when present
 * @param uptoMillis only those started at or before, when present
 * @param skip how many of the newest to pass over
 * @param limit how many at most (the API allows at most {@link #MAX_LIMIT}; the platform asks its store
 *     for more, to merge the records not stored yet into a page further down)
 */
public record ActivationQuery(
        String namespace, Optional<String> name, Optional<Long> sinceMillis, Optional<Long> uptoMillis, int skip,
        int limit) {

    /** The most activations one page of the API lists. */
    public static final int MAX_LIMIT = 200;

    public ActivationQuery {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be 0 or more, was " + skip);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, was " + limit);
        }
    }

    public static ActivationQuery latest(String namespace, int limit) {
        return new ActivationQuery(namespace, Optional.empty(), Optional.empty(), Optional.empty(), 0, limit);
    }
}
