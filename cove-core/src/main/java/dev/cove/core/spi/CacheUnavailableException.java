package dev.cove.core.spi;

import java.io.Serial;

/**
 * The cache's backend could not do the operation (Redis down, refused the platform's credentials,
 * timed out): the platform's fault, never the function's. The message is for the operator and never
 * carries a password.
 */
public final class CacheUnavailableException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
