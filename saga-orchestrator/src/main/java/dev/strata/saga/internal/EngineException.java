package dev.strata.saga.internal;

import dev.strata.saga.SagaException;

/** The orchestrator itself could not do its job (its view did not catch up, it is closed); retryable. */
public final class EngineException extends SagaException {

    public EngineException(String message) {
        super(message);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
