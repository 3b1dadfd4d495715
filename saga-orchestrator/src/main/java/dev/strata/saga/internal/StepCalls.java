package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.saga.FailureKind;
import dev.strata.saga.ParticipantCommand;
import dev.strata.saga.ParticipantReply;
import dev.strata.saga.PermanentFailure;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaException;
import dev.strata.saga.SagaValidationException;
import dev.strata.saga.StepContext;
import dev.strata.saga.StepDefinition;

/**
 * Calls a definition's typed code from the type-erased runtime: decodes the saga state into the definition's state
 * class, builds the {@link StepContext}, and encodes the new state back to JSON.
 */
public final class StepCalls {

    private StepCalls() {
    }

    /** Runs the local action and returns the new state as JSON. */
    public static JsonNode action(ObjectMapper mapper, SagaDefinition<?> definition, StepDefinition<?> step, String sagaId,
                                  String key, int attempt, JsonNode state) throws Exception {
        return runAction(mapper, definition, step, sagaId, key, attempt, state);
    }

    @SuppressWarnings("unchecked")
    private static <S> JsonNode runAction(ObjectMapper mapper, SagaDefinition<S> definition, StepDefinition<?> anyStep,
                                          String sagaId, String key, int attempt, JsonNode state) throws Exception {
        StepDefinition<S> step = (StepDefinition<S>) anyStep;
        StepContext<S> context = context(mapper, definition, step, sagaId, key, attempt, state);
        S next = step.action().orElseThrow().execute(context);
        return encode(mapper, definition, next);
    }

    /** Runs the local compensation. */
    public static void compensation(ObjectMapper mapper, SagaDefinition<?> definition, StepDefinition<?> step, String sagaId,
                                    String key, int attempt, JsonNode state) throws Exception {
        runCompensation(mapper, definition, step, sagaId, key, attempt, state);
    }

    @SuppressWarnings("unchecked")
    private static <S> void runCompensation(ObjectMapper mapper, SagaDefinition<S> definition, StepDefinition<?> anyStep,
                                            String sagaId, String key, int attempt, JsonNode state) throws Exception {
        StepDefinition<S> step = (StepDefinition<S>) anyStep;
        step.compensation().orElseThrow().compensate(context(mapper, definition, step, sagaId, key, attempt, state));
    }

    /** Builds the command of a message step (or of its compensation). */
    public static ParticipantCommand command(ObjectMapper mapper, SagaDefinition<?> definition, StepDefinition<?> step,
                                             boolean compensation, String sagaId, String key, int attempt, JsonNode state) {
        return buildCommand(mapper, definition, step, compensation, sagaId, key, attempt, state);
    }

    @SuppressWarnings("unchecked")
    private static <S> ParticipantCommand buildCommand(ObjectMapper mapper, SagaDefinition<S> definition, StepDefinition<?> anyStep,
                                                       boolean compensation, String sagaId, String key, int attempt, JsonNode state) {
        StepDefinition<S> step = (StepDefinition<S>) anyStep;
        StepContext<S> context = context(mapper, definition, step, sagaId, key, attempt, state);
        return (compensation ? step.compensationCommand() : step.command()).orElseThrow().create(context);
    }

    /** Applies a success reply to the state with the step's reply handler; returns the new state as JSON. */
    public static JsonNode reply(ObjectMapper mapper, SagaDefinition<?> definition, StepDefinition<?> step, String sagaId,
                                 String key, int attempt, JsonNode state, ParticipantReply reply) throws Exception {
        return applyReply(mapper, definition, step, sagaId, key, attempt, state, reply);
    }

    @SuppressWarnings("unchecked")
    private static <S> JsonNode applyReply(ObjectMapper mapper, SagaDefinition<S> definition, StepDefinition<?> anyStep, String sagaId,
                                           String key, int attempt, JsonNode state, ParticipantReply reply) throws Exception {
        StepDefinition<S> step = (StepDefinition<S>) anyStep;
        S next = step.replyHandler().apply(context(mapper, definition, step, sagaId, key, attempt, state), reply);
        return encode(mapper, definition, next);
    }

    public static <S> S decode(ObjectMapper mapper, SagaDefinition<S> definition, JsonNode state) {
        try {
            return mapper.treeToValue(state, definition.stateType());
        } catch (Exception e) {
            throw new SagaValidationException("saga state", state, "must read as " + definition.stateType().getName() + ": " + e.getMessage());
        }
    }

    private static <S> JsonNode encode(ObjectMapper mapper, SagaDefinition<S> definition, S state) {
        if (state == null) {
            throw new PermanentFailure("the step returned a null state (return context.state() to keep it unchanged)");
        }
        try {
            return mapper.valueToTree(state);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("the saga state " + definition.stateType().getName() + " cannot be written as JSON: " + e.getMessage());
        }
    }

    private static <S> StepContext<S> context(ObjectMapper mapper, SagaDefinition<S> definition, StepDefinition<S> step,
                                              String sagaId, String key, int attempt, JsonNode state) {
        return new StepContext<>(definition.type(), sagaId, step.name(), key, attempt, decode(mapper, definition, state));
    }

    /** How a participant's exception counts: typed failures as they say; anything else is transient (retrying is safe). */
    public static FailureKind classify(Throwable failure) {
        if (failure instanceof PermanentFailure) {
            return FailureKind.PERMANENT;
        }
        if (failure instanceof SagaException saga && !saga.isRetryable()) {
            return FailureKind.PERMANENT;
        }
        return FailureKind.TRANSIENT;
    }

    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof SagaException && message != null) {
            return message;
        }
        return message == null ? failure.getClass().getName() : failure.getClass().getSimpleName() + ": " + message;
    }
}
