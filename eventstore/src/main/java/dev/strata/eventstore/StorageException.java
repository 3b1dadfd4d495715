package dev.strata.eventstore;

/**
 * The store could not read or write its files: a full disk, an I/O error, a lock held by another
 * process. For an append, nothing partial is ever visible; whether the append took effect is unknown
 * only when {@link #outcomeUnknown()} says so, and then a retry with the same event ids is safe
 * (it returns the original result if the first attempt was stored).
 */
public class StorageException extends EventStoreException {

    private final boolean retryable;
    private final boolean outcomeUnknown;

    public StorageException(String message, Throwable cause, boolean retryable, boolean outcomeUnknown) {
        super(message, cause);
        this.retryable = retryable;
        this.outcomeUnknown = outcomeUnknown;
    }

    public StorageException(String message, Throwable cause) {
        this(message, cause, false, false);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    /** True when the append may have been stored even though it was not acknowledged. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
