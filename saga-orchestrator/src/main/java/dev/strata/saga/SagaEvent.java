package dev.strata.saga;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The transitions of a saga, each an event in the saga's own stream {@code $saga-<type>-<id>} (JSON, event type =
 * the record's simple name). The stream is the saga's whole truth: the orchestrator folds it to know where the saga
 * is, appends to it with the exact version it folded (so two orchestrators never both advance one saga), and
 * derives every timer from it (retries, step timeouts, the deadline), so they survive restarts.
 *
 * <p>Several transitions that happen together are appended together, atomically: a step's success and the next
 * step's start, a final failure and the start of compensation.
 */
public sealed interface SagaEvent {

    /** The first event. {@code steps} are the step names in order as the definition had them when the saga started. */
    record SagaStarted(String sagaId, String sagaType, String businessKey, JsonNode state, Instant deadline,
                       List<String> steps) implements SagaEvent {
    }

    /** Try {@code attempt} of a step's action begins; recorded before the participant is called. */
    record StepStarted(String step, int attempt, String idempotencyKey, Instant timeoutAt) implements SagaEvent {
    }

    /** The action succeeded; {@code state} is the saga's new state. */
    record StepSucceeded(String step, int attempt, JsonNode state, long micros) implements SagaEvent {
    }

    /** A try failed. With a {@code retryAt} the step is tried again then; without, it failed for good. */
    record StepFailed(String step, int attempt, FailureKind kind, String reason, Instant retryAt) implements SagaEvent {
    }

    /** A step failed for good: the compensations in {@code plan} (step names, in the order they run) follow. */
    record SagaCompensating(String failedStep, String reason, List<String> plan) implements SagaEvent {
    }

    record CompensationStarted(String step, int attempt, String idempotencyKey, Instant timeoutAt) implements SagaEvent {
    }

    record CompensationSucceeded(String step, int attempt, long micros) implements SagaEvent {
    }

    /** A compensation try failed; without a {@code retryAt} the saga is stuck (a {@link SagaStuck} follows). */
    record CompensationFailed(String step, int attempt, FailureKind kind, String reason, Instant retryAt) implements SagaEvent {
    }

    record SagaCompleted(JsonNode state) implements SagaEvent {
    }

    record SagaCompensated(String reason) implements SagaEvent {
    }

    /** A compensation failed after its retries; an operator's {@link SagaRetried} resumes it. */
    record SagaStuck(String step, String reason) implements SagaEvent {
    }

    /** An operator asked to try the stuck compensation again; its failure count starts over. */
    record SagaRetried(String reason) implements SagaEvent {
    }
}
