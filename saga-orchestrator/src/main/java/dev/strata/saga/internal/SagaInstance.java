package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.saga.FailureKind;
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
import dev.strata.eventstore.StreamVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A saga folded from its stream: where it is, what it tried, and when its next timer is due. The same fold serves
 * the orchestrator (which then decides with {@link SagaMachine}) and the test fixture.
 *
 * <p>Not thread-safe: an orchestrator touches an instance only from the saga's own serial mailbox.
 *
 * <p>The "current try" fields ({@link #open}, {@link #attempt}, {@link #failures}, {@link #retryAt},
 * {@link #timeoutAt}) describe the step being run while {@link SagaStatus#RUNNING}, and the compensation being run
 * while {@link SagaStatus#COMPENSATING}; they start over with each step and each compensation.
 */
public final class SagaInstance {

    String sagaId;
    String sagaType;
    String businessKey;
    List<String> steps = List.of();
    Instant deadline;
    Instant startedAt;
    Instant updatedAt;
    SagaStatus status;
    long version = StreamVersions.NO_STREAM;
    long lastPosition = StreamVersions.NO_POSITION;
    JsonNode state;

    int stepIndex;
    final List<String> succeeded = new ArrayList<>();
    List<String> plan = List.of();
    int planIndex;
    final List<String> compensated = new ArrayList<>();
    String failedStep;
    String reason;

    boolean open;
    int attempt;
    int failures;
    Instant retryAt;
    Instant timeoutAt;
    long openedPosition = StreamVersions.NO_POSITION;
    UUID openedEventId;
    FailureKind lastFailure;
    String lastFailureReason;

    /** Applies one event of the saga's stream, at {@code version}/{@code position}, committed at {@code timestamp}. */
    public void apply(SagaEvent event, long eventVersion, long position, UUID eventId, Instant timestamp) {
        version = eventVersion;
        lastPosition = position;
        updatedAt = timestamp;
        if (event instanceof SagaStarted e) {
            sagaId = e.sagaId();
            sagaType = e.sagaType();
            businessKey = e.businessKey();
            steps = List.copyOf(e.steps());
            deadline = e.deadline();
            state = e.state();
            startedAt = timestamp;
            status = SagaStatus.RUNNING;
            stepIndex = 0;
            resetTry();
        } else if (event instanceof StepStarted e) {
            startTry(e.attempt(), e.timeoutAt(), position, eventId);
        } else if (event instanceof StepSucceeded e) {
            succeeded.add(e.step());
            state = e.state();
            stepIndex++;
            resetTry();
        } else if (event instanceof StepFailed e) {
            failTry(e.kind(), e.reason(), e.retryAt());
        } else if (event instanceof SagaCompensating e) {
            status = SagaStatus.COMPENSATING;
            failedStep = e.failedStep();
            reason = e.reason();
            plan = List.copyOf(e.plan());
            planIndex = 0;
            resetTry();
        } else if (event instanceof CompensationStarted e) {
            startTry(e.attempt(), e.timeoutAt(), position, eventId);
        } else if (event instanceof CompensationSucceeded e) {
            compensated.add(e.step());
            planIndex++;
            resetTry();
        } else if (event instanceof CompensationFailed e) {
            failTry(e.kind(), e.reason(), e.retryAt());
        } else if (event instanceof SagaCompleted e) {
            status = SagaStatus.COMPLETED;
            state = e.state();
            resetTry();
        } else if (event instanceof SagaCompensated) {
            status = SagaStatus.COMPENSATED;
            resetTry();
        } else if (event instanceof SagaStuck e) {
            status = SagaStatus.STUCK;
            reason = e.reason();
            open = false;
            retryAt = null;
        } else if (event instanceof SagaRetried) {
            status = SagaStatus.COMPENSATING;
            failures = 0;
            open = false;
            retryAt = null;
        }
    }

    private void startTry(int tryAttempt, Instant tryTimeoutAt, long position, UUID eventId) {
        open = true;
        attempt = tryAttempt;
        timeoutAt = tryTimeoutAt;
        retryAt = null;
        openedPosition = position;
        openedEventId = eventId;
    }

    private void failTry(FailureKind kind, String why, Instant retry) {
        open = false;
        failures++;
        lastFailure = kind;
        lastFailureReason = why;
        retryAt = retry;
        timeoutAt = null;
    }

    private void resetTry() {
        open = false;
        attempt = 0;
        failures = 0;
        retryAt = null;
        timeoutAt = null;
        lastFailure = null;
        lastFailureReason = null;
    }

    /** The step (forward) or compensation (backward) being run now, or null when finished or stuck. */
    public String currentStep() {
        if (status == SagaStatus.RUNNING) {
            return stepIndex < steps.size() ? steps.get(stepIndex) : null;
        }
        if (status == SagaStatus.COMPENSATING || status == SagaStatus.STUCK) {
            return planIndex < plan.size() ? plan.get(planIndex) : null;
        }
        return null;
    }

    public String sagaId() {
        return sagaId;
    }

    public String sagaType() {
        return sagaType;
    }

    public String businessKey() {
        return businessKey;
    }

    public SagaStatus status() {
        return status;
    }

    public long version() {
        return version;
    }

    public long lastPosition() {
        return lastPosition;
    }

    public JsonNode state() {
        return state;
    }

    public List<String> steps() {
        return steps;
    }

    public List<String> succeeded() {
        return List.copyOf(succeeded);
    }

    public List<String> compensated() {
        return List.copyOf(compensated);
    }

    public List<String> plan() {
        return plan;
    }

    public String reason() {
        return reason;
    }

    public String failedStep() {
        return failedStep;
    }

    public boolean isOpen() {
        return open;
    }

    public int attempt() {
        return attempt;
    }

    public int failures() {
        return failures;
    }

    public Instant retryAt() {
        return retryAt;
    }

    public Instant timeoutAt() {
        return timeoutAt;
    }

    public Instant deadline() {
        return deadline;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public long openedPosition() {
        return openedPosition;
    }

    public UUID openedEventId() {
        return openedEventId;
    }

    public FailureKind lastFailure() {
        return lastFailure;
    }

    public String lastFailureReason() {
        return lastFailureReason;
    }

    public boolean exists() {
        return status != null;
    }
}
