package dev.strata.saga.internal;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaEvent.CompensationFailed;
import dev.strata.saga.SagaEvent.CompensationStarted;
import dev.strata.saga.SagaEvent.CompensationSucceeded;
import dev.strata.saga.SagaEvent.SagaCompensated;
import dev.strata.saga.SagaEvent.SagaCompensating;
import dev.strata.saga.SagaEvent.SagaCompleted;
import dev.strata.saga.SagaEvent.SagaRetried;
import dev.strata.saga.SagaEvent.SagaStarted;
import dev.strata.saga.SagaEvent.SagaStuck;
import dev.strata.saga.SagaEvent.StepFailed;
import dev.strata.saga.SagaEvent.StepStarted;
import dev.strata.saga.SagaEvent.StepSucceeded;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import dev.strata.saga.SagaValidationException;

/** Folds saga events into the operator's {@link SagaSummary}: what the view stores and the command line prints. */
public final class SummaryFold {

    private SummaryFold() {
    }

    /** The summary after {@code event} (recorded as {@code recorded}); {@code previous} is null before the first event. */
    public static SagaSummary apply(SagaSummary previous, SagaEvent event, RecordedEvent recorded) {
        if (event instanceof SagaStarted e) {
            String first = e.steps().isEmpty() ? null : e.steps().get(0);
            return new SagaSummary(e.sagaType(), e.sagaId(), e.businessKey(), SagaStatus.RUNNING, first, 0, null,
                    recorded.timestamp(), recorded.timestamp(), recorded.version(), recorded.position());
        }
        if (previous == null) {
            throw new SagaValidationException("saga stream", recorded.stream(), "must begin with SagaStarted (found " + recorded.type() + ")");
        }
        SagaStatus status = previous.status();
        String step = previous.step();
        int attempt = previous.attempt();
        String reason = previous.reason();
        if (event instanceof StepStarted e) {
            step = e.step();
            attempt = e.attempt();
        } else if (event instanceof StepSucceeded e) {
            step = e.step();
        } else if (event instanceof StepFailed e) {
            step = e.step();
            reason = e.reason();
        } else if (event instanceof SagaCompensating e) {
            status = SagaStatus.COMPENSATING;
            step = e.failedStep();
            reason = e.reason();
        } else if (event instanceof CompensationStarted e) {
            step = e.step();
            attempt = e.attempt();
        } else if (event instanceof CompensationSucceeded e) {
            step = e.step();
        } else if (event instanceof CompensationFailed e) {
            step = e.step();
        } else if (event instanceof SagaCompleted) {
            status = SagaStatus.COMPLETED;
            reason = null;
        } else if (event instanceof SagaCompensated e) {
            status = SagaStatus.COMPENSATED;
            reason = e.reason();
        } else if (event instanceof SagaStuck e) {
            status = SagaStatus.STUCK;
            step = e.step();
            reason = e.reason();
        } else if (event instanceof SagaRetried) {
            status = SagaStatus.COMPENSATING;
        }
        return new SagaSummary(previous.sagaType(), previous.sagaId(), previous.businessKey(), status, step, attempt, reason,
                previous.startedAt(), recorded.timestamp(), recorded.version(), recorded.position());
    }
}
