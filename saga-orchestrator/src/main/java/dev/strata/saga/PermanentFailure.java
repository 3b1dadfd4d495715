package dev.strata.saga;

/**
 * A participant refused the step for good (a declined card, an unknown product): retrying cannot help, so the
 * orchestrator does not retry; it compensates the steps already done, in reverse order. A participant that throws
 * this must not have applied the step.
 */
public class PermanentFailure extends SagaException {

    public PermanentFailure(String reason) {
        super(reason);
    }

    public PermanentFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
