package dev.strata.saga;

/** What a step does when its participant's circuit breaker is open and calls fail fast. */
public enum CircuitOpenPolicy {
    /** Wait (without counting an attempt) until the breaker lets a call through, then call. The default. */
    WAIT,
    /** Count it as a transient failure ({@link FailureKind#CIRCUIT_OPEN}): retried per the step's policy, then compensated. */
    FAIL
}
