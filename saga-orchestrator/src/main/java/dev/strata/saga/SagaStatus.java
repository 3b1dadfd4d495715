package dev.strata.saga;

/**
 * Where a saga is. {@link #RUNNING} and {@link #COMPENSATING} are unfinished: an orchestrator that starts resumes
 * them. {@link #COMPLETED} and {@link #COMPENSATED} are final. {@link #STUCK} waits for an operator: a compensation
 * failed after its retries; {@code retry} (API or {@code strata sagas retry}) resumes the compensation.
 */
public enum SagaStatus {
    /** Running its steps forward. */
    RUNNING,
    /** A step failed for good; running the compensations of the steps done, in reverse order. */
    COMPENSATING,
    /** Every step succeeded. */
    COMPLETED,
    /** A step failed for good and every compensation succeeded. */
    COMPENSATED,
    /** A compensation failed after its retries; waits for an operator's retry. */
    STUCK;

    public boolean isFinished() {
        return this == COMPLETED || this == COMPENSATED;
    }

    /** Whether an orchestrator drives sagas in this status (resumes them on start). */
    public boolean isActive() {
        return this == RUNNING || this == COMPENSATING;
    }
}
