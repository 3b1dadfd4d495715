package dev.strata.saga;

/**
 * The root of every failure the saga module reports, and of the failures participants throw to tell the
 * orchestrator what happened. Unchecked. {@link #isRetryable()} says whether trying the same call again can help:
 * a {@link TransientFailure} is retried with backoff, a {@link PermanentFailure} goes straight to compensation.
 */
public abstract class SagaException extends RuntimeException {

    protected SagaException(String message) {
        super(message);
    }

    protected SagaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed later without changing its arguments. */
    public boolean isRetryable() {
        return false;
    }
}
