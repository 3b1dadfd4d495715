package dev.strata.saga;

/**
 * A participant could not do the step now but may later (a timeout, a busy service, a lost connection): the
 * orchestrator retries the step with the same idempotency key, with exponential backoff and jitter, up to the
 * step's {@link RetryPolicy}; after that the step has failed for good and the saga compensates.
 *
 * <p>Any exception a participant throws that is not a {@link SagaException} counts as transient too: retrying an
 * idempotent call is safe, giving up on a business operation because of a bug in a logging call is not.
 */
public class TransientFailure extends SagaException {

    public TransientFailure(String reason) {
        super(reason);
    }

    public TransientFailure(String reason, Throwable cause) {
        super(reason, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
