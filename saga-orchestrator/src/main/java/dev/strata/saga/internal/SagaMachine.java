package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.saga.FailureKind;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaEvent.CompensationFailed;
import dev.strata.saga.SagaEvent.CompensationStarted;
import dev.strata.saga.SagaEvent.CompensationSucceeded;
import dev.strata.saga.SagaEvent.SagaCompensated;
import dev.strata.saga.SagaEvent.SagaCompensating;
import dev.strata.saga.SagaEvent.SagaCompleted;
import dev.strata.saga.SagaEvent.SagaStarted;
import dev.strata.saga.SagaEvent.SagaStuck;
import dev.strata.saga.SagaEvent.StepFailed;
import dev.strata.saga.SagaEvent.StepStarted;
import dev.strata.saga.SagaEvent.StepSucceeded;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.StepDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The saga's rules as pure functions of a folded {@link SagaInstance}, the definition and the time: what to do next,
 * and which events record an outcome. No I/O and no threads, so the orchestrator and the test fixture run the very
 * same decisions.
 *
 * <p>The rules: steps run in order; a transient failure (or a timeout) is retried after a backoff until the step's
 * policy gives up; a permanent failure, an exhausted policy or the passed deadline starts compensation of the steps
 * that succeeded, last first, plus the failed step itself when its outcome is unknown (a timeout, the deadline);
 * compensations are retried until their policy gives up, and then the saga is stuck.
 */
public final class SagaMachine {

    private SagaMachine() {
    }

    /** What the orchestrator should do next for a saga. */
    public sealed interface Next {
        /** Append these events (with the saga's exact version), then ask again. */
        record Record(List<SagaEvent> events) implements Next {
        }

        /**
         * Call the step's action (or its compensation) for the try already recorded as started. A try with no outcome by
         * {@code timeoutAt} timed out; a forward try with no outcome by {@code deadline} is cut off by the saga's deadline.
         */
        record Invoke(StepDefinition<?> step, boolean compensation, int attempt, String idempotencyKey,
                      Instant timeoutAt, Instant deadline) implements Next {
            /** The first of the two timers, or null. */
            public Instant firstTimer() {
                if (timeoutAt == null) {
                    return deadline;
                }
                return deadline == null || timeoutAt.isBefore(deadline) ? timeoutAt : deadline;
            }
        }

        /** Nothing to do before {@code at} (a retry's backoff); ask again then. */
        record WaitUntil(Instant at) implements Next {
        }

        /** Completed, compensated, or stuck: nothing to drive. */
        record Idle(SagaStatus status) implements Next {
        }
    }

    /** How a try ended. */
    public sealed interface Outcome {
        record Succeeded(JsonNode state, long micros) implements Outcome {
        }

        record Failed(FailureKind kind, String reason, long micros) implements Outcome {
        }
    }

    public static String idempotencyKey(String sagaType, String sagaId, String step) {
        return sagaType + ":" + sagaId + ":" + step;
    }

    public static String compensationKey(String sagaType, String sagaId, String step) {
        return idempotencyKey(sagaType, sagaId, step) + ":compensation";
    }

    /** The events that start a saga: it started, and so did its first step's first try. */
    public static List<SagaEvent> start(SagaDefinition<?> definition, String sagaId, String businessKey, JsonNode state, Instant now) {
        Instant deadline = definition.deadline().map(now::plus).orElse(null);
        List<String> names = definition.steps().stream().map(StepDefinition::name).toList();
        StepDefinition<?> first = definition.steps().get(0);
        return List.of(
                new SagaStarted(sagaId, definition.type(), businessKey, state, deadline, names),
                new StepStarted(first.name(), 1, idempotencyKey(definition.type(), sagaId, first.name()), timeoutAt(first, now)));
    }

    public static Next next(SagaInstance saga, SagaDefinition<?> definition, Instant now) {
        return switch (saga.status) {
            case RUNNING -> nextForward(saga, definition, now);
            case COMPENSATING -> nextBackward(saga, definition, now);
            case COMPLETED, COMPENSATED, STUCK -> new Next.Idle(saga.status);
        };
    }

    private static Next nextForward(SagaInstance saga, SagaDefinition<?> definition, Instant now) {
        if (saga.deadline != null && !now.isBefore(saga.deadline)) {
            boolean unknown = saga.open || (saga.lastFailure != null && saga.lastFailure.outcomeUnknown());
            return new Next.Record(failForGood(saga, definition, FailureKind.DEADLINE,
                    "the saga's deadline " + saga.deadline + " passed", now, unknown));
        }
        if (saga.stepIndex >= saga.steps.size()) {
            return new Next.Record(List.of(new SagaCompleted(saga.state)));
        }
        String name = saga.steps.get(saga.stepIndex);
        Optional<? extends StepDefinition<?>> step = definition.step(name);
        if (step.isEmpty()) {
            return new Next.Record(failForGood(saga, definition, FailureKind.PERMANENT,
                    "saga type " + definition.type() + " has no step '" + name + "' any more", now, false));
        }
        if (saga.open) {
            return new Next.Invoke(step.get(), false, saga.attempt, idempotencyKey(saga.sagaType, saga.sagaId, name),
                    saga.timeoutAt, saga.deadline);
        }
        if (saga.retryAt != null && now.isBefore(saga.retryAt)) {
            Instant wake = saga.deadline != null && saga.deadline.isBefore(saga.retryAt) ? saga.deadline : saga.retryAt;
            return new Next.WaitUntil(wake);
        }
        return new Next.Record(List.of(new StepStarted(name, saga.attempt + 1,
                idempotencyKey(saga.sagaType, saga.sagaId, name), timeoutAt(step.get(), now))));
    }

    private static Next nextBackward(SagaInstance saga, SagaDefinition<?> definition, Instant now) {
        if (saga.planIndex >= saga.plan.size()) {
            return new Next.Record(List.of(new SagaCompensated(saga.reason)));
        }
        String name = saga.plan.get(saga.planIndex);
        Optional<? extends StepDefinition<?>> step = definition.step(name).filter(StepDefinition::hasCompensation);
        if (step.isEmpty()) {
            return new Next.Record(List.of(new SagaStuck(name, "saga type " + definition.type()
                    + " has no compensation for step '" + name + "' any more")));
        }
        String key = compensationKey(saga.sagaType, saga.sagaId, name);
        if (saga.open) {
            return new Next.Invoke(step.get(), true, saga.attempt, key, saga.timeoutAt, null);
        }
        if (saga.retryAt != null && now.isBefore(saga.retryAt)) {
            return new Next.WaitUntil(saga.retryAt);
        }
        return new Next.Record(List.of(new CompensationStarted(name, saga.attempt + 1, key, timeoutAt(step.get(), now))));
    }

    /** The events that record how the try in progress ended. */
    public static List<SagaEvent> onOutcome(SagaInstance saga, SagaDefinition<?> definition, Outcome outcome, Instant now,
                                            RandomGenerator random) {
        if (!saga.open) {
            throw new IllegalStateException("saga " + saga.sagaType + "/" + saga.sagaId + " has no try in progress");
        }
        return saga.status == SagaStatus.RUNNING
                ? onStepOutcome(saga, definition, outcome, now, random)
                : onCompensationOutcome(saga, definition, outcome, now, random);
    }

    private static List<SagaEvent> onStepOutcome(SagaInstance saga, SagaDefinition<?> definition, Outcome outcome, Instant now,
                                                 RandomGenerator random) {
        String name = saga.steps.get(saga.stepIndex);
        StepDefinition<?> step = definition.step(name).orElseThrow();
        if (outcome instanceof Outcome.Succeeded success) {
            List<SagaEvent> events = new ArrayList<>();
            events.add(new StepSucceeded(name, saga.attempt, success.state(), success.micros()));
            int next = saga.stepIndex + 1;
            if (next >= saga.steps.size()) {
                events.add(new SagaCompleted(success.state()));
            } else if (saga.deadline == null || now.isBefore(saga.deadline)) {
                // start the next step in the same append; past the deadline, next() compensates instead
                definition.step(saga.steps.get(next)).ifPresent(following -> events.add(new StepStarted(following.name(), 1,
                        idempotencyKey(saga.sagaType, saga.sagaId, following.name()), timeoutAt(following, now))));
            }
            return events;
        }
        Outcome.Failed failure = (Outcome.Failed) outcome;
        int failures = saga.failures + 1;
        boolean retry = failure.kind() != FailureKind.PERMANENT && failure.kind() != FailureKind.DEADLINE
                && step.retry().allowsRetryAfter(failures)
                && (saga.deadline == null || now.isBefore(saga.deadline));
        if (retry) {
            Duration backoff = step.retry().backoff(failures, random);
            return List.of(new StepFailed(name, saga.attempt, failure.kind(), failure.reason(), now.plus(backoff)));
        }
        String reason = "step '" + name + "' failed (" + failure.kind() + ", try " + saga.attempt + "): " + failure.reason();
        return failForGood(saga, definition, failure.kind(), reason, now, failure.kind().outcomeUnknown());
    }

    /**
     * The step in progress failed for good (or the deadline passed): record it, plan the compensations (the steps done,
     * last first; the current step first if its outcome is unknown) and start the first one.
     */
    private static List<SagaEvent> failForGood(SagaInstance saga, SagaDefinition<?> definition, FailureKind kind, String reason,
                                               Instant now, boolean compensateCurrent) {
        List<SagaEvent> events = new ArrayList<>();
        String current = saga.stepIndex < saga.steps.size() ? saga.steps.get(saga.stepIndex) : null;
        if (saga.open && current != null) {
            events.add(new StepFailed(current, saga.attempt, kind, reason, null));
        }
        List<String> plan = new ArrayList<>();
        if (compensateCurrent && current != null && compensable(definition, current)) {
            plan.add(current);
        }
        for (int i = saga.succeeded.size() - 1; i >= 0; i--) {
            String done = saga.succeeded.get(i);
            if (compensable(definition, done)) {
                plan.add(done);
            }
        }
        events.add(new SagaCompensating(current, reason, plan));
        if (plan.isEmpty()) {
            events.add(new SagaCompensated(reason));
        } else {
            StepDefinition<?> first = definition.step(plan.get(0)).orElseThrow();
            events.add(new CompensationStarted(first.name(), 1, compensationKey(saga.sagaType, saga.sagaId, first.name()),
                    timeoutAt(first, now)));
        }
        return events;
    }

    private static boolean compensable(SagaDefinition<?> definition, String step) {
        // a step the definition no longer knows is planned anyway: the saga then gets stuck visibly instead of skipping it
        return definition.step(step).map(StepDefinition::hasCompensation).orElse(true);
    }

    private static List<SagaEvent> onCompensationOutcome(SagaInstance saga, SagaDefinition<?> definition, Outcome outcome,
                                                         Instant now, RandomGenerator random) {
        String name = saga.plan.get(saga.planIndex);
        StepDefinition<?> step = definition.step(name).orElseThrow();
        if (outcome instanceof Outcome.Succeeded success) {
            List<SagaEvent> events = new ArrayList<>();
            events.add(new CompensationSucceeded(name, saga.attempt, success.micros()));
            int next = saga.planIndex + 1;
            if (next >= saga.plan.size()) {
                events.add(new SagaCompensated(saga.reason));
            } else {
                String following = saga.plan.get(next);
                definition.step(following).ifPresent(s -> events.add(new CompensationStarted(following, 1,
                        compensationKey(saga.sagaType, saga.sagaId, following), timeoutAt(s, now))));
            }
            return events;
        }
        Outcome.Failed failure = (Outcome.Failed) outcome;
        int failures = saga.failures + 1;
        if (failure.kind() != FailureKind.PERMANENT && step.compensationRetry().allowsRetryAfter(failures)) {
            Duration backoff = step.compensationRetry().backoff(failures, random);
            return List.of(new CompensationFailed(name, saga.attempt, failure.kind(), failure.reason(), now.plus(backoff)));
        }
        String reason = "compensation of step '" + name + "' failed (" + failure.kind() + ", try " + saga.attempt
                + " of " + step.compensationRetry().maxAttempts() + "): " + failure.reason();
        return List.of(new CompensationFailed(name, saga.attempt, failure.kind(), failure.reason(), null),
                new SagaStuck(name, reason));
    }

    private static Instant timeoutAt(StepDefinition<?> step, Instant now) {
        return step.timeout().map(now::plus).orElse(null);
    }
}
