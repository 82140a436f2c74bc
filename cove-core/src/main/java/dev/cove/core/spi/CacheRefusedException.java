package dev.cove.core.spi;

import java.io.Serial;

/**
 * The cache refused an operation because of what the function asked for (a value or key over the
 * limit, a TTL out of range, an increment of a non-integer): the function's fault. The message is
 * written for the function's developer and carries the numbers.
 */
public final class CacheRefusedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CacheRefusedException(String message) {
        super(message);
    }
}
