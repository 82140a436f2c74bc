package dev.cove.core.spi;

/**
 * Where the platform keeps what is deployed ({@link FunctionStore}) and what ran ({@link
 * ActivationStore}). Every implementation passes {@code StoreContract} in the tests. The platform
 * takes the store it is given and closes it when it closes.
 */
public interface Store extends FunctionStore, ActivationStore, TriggerStore, AutoCloseable {

    @Override
    void close();

    /** The store failed for a reason outside the caller's control (disk full, a corrupt file). */
    final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
