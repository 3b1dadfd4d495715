package dev.strata.saga;

/** No saga of this type and id exists in the store. */
public class SagaNotFoundException extends SagaException {

    private final String sagaType;
    private final String sagaId;

    public SagaNotFoundException(String sagaType, String sagaId) {
        super("no saga " + sagaType + "/" + sagaId);
        this.sagaType = sagaType;
        this.sagaId = sagaId;
    }

    public String sagaType() {
        return sagaType;
    }

    public String sagaId() {
        return sagaId;
    }
}
