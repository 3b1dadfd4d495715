package dev.strata.saga;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of a saga, as built by {@link StepBuilder}: its name, its participant, its action (a local call or a
 * command sent through the store), its optional compensation, and its retry, timeout and circuit-breaker policies.
 * Immutable.
 */
public final class StepDefinition<S> {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._]{0,63}");

    private final String name;
    private final String participant;
    private final StepAction<S> action;
    private final CommandFactory<S> command;
    private final ReplyHandler<S> replyHandler;
    private final Compensation<S> compensation;
    private final CommandFactory<S> compensationCommand;
    private final RetryPolicy retry;
    private final RetryPolicy compensationRetry;
    private final Duration timeout;
    private final CircuitOpenPolicy whenCircuitOpen;

    StepDefinition(StepBuilder<S> builder) {
        this.name = builder.name;
        this.participant = builder.participant;
        this.action = builder.action;
        this.command = builder.command;
        this.replyHandler = builder.replyHandler != null ? builder.replyHandler : (context, reply) -> context.state();
        this.compensation = builder.compensation;
        this.compensationCommand = builder.compensationCommand;
        this.retry = builder.retry;
        this.compensationRetry = builder.compensationRetry;
        this.timeout = builder.timeout;
        this.whenCircuitOpen = builder.whenCircuitOpen;
    }

    public String name() {
        return name;
    }

    /** The participant this step talks to; its circuit breaker is shared by every step naming it. */
    public String participant() {
        return participant;
    }

    /** Whether the action is a command sent to the participant through the store (else a local call). */
    public boolean isMessage() {
        return command != null;
    }

    public Optional<StepAction<S>> action() {
        return Optional.ofNullable(action);
    }

    public Optional<CommandFactory<S>> command() {
        return Optional.ofNullable(command);
    }

    public ReplyHandler<S> replyHandler() {
        return replyHandler;
    }

    public boolean hasCompensation() {
        return compensation != null || compensationCommand != null;
    }

    /** Whether the compensation is a command sent through the store (else a local call). */
    public boolean isCompensationMessage() {
        return compensationCommand != null;
    }

    public Optional<Compensation<S>> compensation() {
        return Optional.ofNullable(compensation);
    }

    public Optional<CommandFactory<S>> compensationCommand() {
        return Optional.ofNullable(compensationCommand);
    }

    public RetryPolicy retry() {
        return retry;
    }

    public RetryPolicy compensationRetry() {
        return compensationRetry;
    }

    /** How long one try (of the action or the compensation) may take; empty for no limit. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public CircuitOpenPolicy whenCircuitOpen() {
        return whenCircuitOpen;
    }

    static String requireStepName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SagaValidationException("step.name", name, "must match " + NAME.pattern());
        }
        return name;
    }

    /** Participant names become stream names ({@code <participant>.commands}), so no {@code -}: the category stays whole. */
    public static String requireParticipantName(String participant) {
        if (participant == null || !NAME.matcher(participant).matches()) {
            throw new SagaValidationException("participant", participant, "must match " + NAME.pattern());
        }
        return participant;
    }

    @Override
    public String toString() {
        return "Step[" + name + " -> " + participant + (isMessage() ? " (message)" : "") + (hasCompensation() ? ", compensable" : "") + "]";
    }
}
