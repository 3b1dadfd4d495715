package dev.strata.saga;

/**
 * An operation does not fit the saga's status: starting a saga whose id is taken, retrying one that is not
 * {@link SagaStatus#STUCK}, or advancing one that another orchestrator advanced first. Carries the saga and its
 * status at the time.
 */
public class SagaStateException extends SagaException {

    private final String sagaType;
    private final String sagaId;
    private final SagaStatus status;

    public SagaStateException(String sagaType, String sagaId, SagaStatus status, String message) {
        super("saga " + sagaType + "/" + sagaId + (status == null ? "" : " is " + status) + ": " + message);
        this.sagaType = sagaType;
        this.sagaId = sagaId;
        this.status = status;
    }

    public String sagaType() {
        return sagaType;
    }

    public String sagaId() {
        return sagaId;
    }

    /** The saga's status when the operation was refused, or null if unknown. */
    public SagaStatus status() {
        return status;
    }
}
