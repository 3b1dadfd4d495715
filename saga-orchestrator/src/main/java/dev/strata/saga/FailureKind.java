package dev.strata.saga;

/** Why a step or a compensation failed, as recorded in the saga log. */
public enum FailureKind {
    /** The participant threw a {@link TransientFailure} (or any exception that is not a {@link SagaException}). */
    TRANSIENT,
    /** The participant threw a {@link PermanentFailure}: no retry. */
    PERMANENT,
    /** No outcome within the step's timeout: retried like a transient failure; the outcome is unknown. */
    TIMEOUT,
    /** The participant's circuit breaker was open and the step's policy is {@link CircuitOpenPolicy#FAIL}. */
    CIRCUIT_OPEN,
    /** The saga's deadline passed before the step succeeded: no retry; the outcome is unknown. */
    DEADLINE;

    /** Whether the step may have taken effect although it failed, so that its own compensation must run too. */
    public boolean outcomeUnknown() {
        return this == TIMEOUT || this == DEADLINE;
    }
}
