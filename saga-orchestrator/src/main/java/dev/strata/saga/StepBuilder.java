package dev.strata.saga;

import java.time.Duration;

/**
 * Configures one step inside {@link SagaDefinition.Builder#step}. A step needs a {@link #participant} and exactly
 * one action: {@link #action} (a local call) or {@link #command} (a command through the store, answered by a
 * reply). The compensation is optional: {@link #compensation} or {@link #compensationCommand}.
 */
public final class StepBuilder<S> {

    final String name;
    String participant;
    StepAction<S> action;
    CommandFactory<S> command;
    ReplyHandler<S> replyHandler;
    Compensation<S> compensation;
    CommandFactory<S> compensationCommand;
    RetryPolicy retry = RetryPolicy.DEFAULT_STEP;
    RetryPolicy compensationRetry = RetryPolicy.DEFAULT_COMPENSATION;
    Duration timeout;
    CircuitOpenPolicy whenCircuitOpen = CircuitOpenPolicy.WAIT;

    StepBuilder(String name) {
        this.name = StepDefinition.requireStepName(name);
    }

    /** The participant (service) the step calls; names its circuit breaker and, for messages, its streams. */
    public StepBuilder<S> participant(String name) {
        this.participant = name;
        return this;
    }

    /** The action as a local call returning the new state. */
    public StepBuilder<S> action(StepAction<S> localAction) {
        this.action = localAction;
        return this;
    }

    /** The action as a command event to {@code <participant>.commands}; the step succeeds when a success reply comes back. */
    public StepBuilder<S> command(CommandFactory<S> factory) {
        this.command = factory;
        return this;
    }

    /** For a {@link #command} step: the new state from the success reply (default: the state unchanged). */
    public StepBuilder<S> onReply(ReplyHandler<S> handler) {
        this.replyHandler = handler;
        return this;
    }

    /** Undo as a local call. */
    public StepBuilder<S> compensation(Compensation<S> localCompensation) {
        this.compensation = localCompensation;
        return this;
    }

    /** Undo as a command event to {@code <participant>.commands}, done when a success reply comes back. */
    public StepBuilder<S> compensationCommand(CommandFactory<S> factory) {
        this.compensationCommand = factory;
        return this;
    }

    /** Tries and backoff for the action; {@link RetryPolicy#DEFAULT_STEP} by default. */
    public StepBuilder<S> retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    /** Tries and backoff for the compensation before the saga is marked stuck; {@link RetryPolicy#DEFAULT_COMPENSATION} by default. */
    public StepBuilder<S> compensationRetry(RetryPolicy policy) {
        this.compensationRetry = policy;
        return this;
    }

    /** How long one try of the action or the compensation may take; a try that takes longer failed ({@link FailureKind#TIMEOUT}). */
    public StepBuilder<S> timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** What to do while the participant's circuit breaker is open; {@link CircuitOpenPolicy#WAIT} by default. */
    public StepBuilder<S> whenCircuitOpen(CircuitOpenPolicy policy) {
        this.whenCircuitOpen = policy;
        return this;
    }

    StepDefinition<S> build() {
        String field = "step '" + name + "'.";
        if (participant == null || !StepDefinition.NAME.matcher(participant).matches()) {
            throw new SagaValidationException(field + "participant", participant, "must match " + StepDefinition.NAME.pattern());
        }
        if ((action == null) == (command == null)) {
            throw new SagaValidationException(field + "action", action == null ? "none" : "both action and command",
                    "must be exactly one of action(...) or command(...)");
        }
        if (replyHandler != null && command == null) {
            throw new SagaValidationException(field + "onReply", "a reply handler", "needs a command(...) step");
        }
        if (compensation != null && compensationCommand != null) {
            throw new SagaValidationException(field + "compensation", "both compensation and compensationCommand",
                    "must be at most one of compensation(...) or compensationCommand(...)");
        }
        if (retry == null) {
            throw new SagaValidationException(field + "retry", null, "must not be null");
        }
        if (compensationRetry == null) {
            throw new SagaValidationException(field + "compensationRetry", null, "must not be null");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new SagaValidationException(field + "timeout", timeout, "must be > 0");
        }
        if (whenCircuitOpen == null) {
            throw new SagaValidationException(field + "whenCircuitOpen", null, "must not be null");
        }
        return new StepDefinition<>(this);
    }
}
