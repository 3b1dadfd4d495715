package dev.strata.saga;

import dev.strata.eventstore.RecordedEvent;

/**
 * A command an orchestrator sent to a participant through the store, as the participant reads it from its
 * command stream ({@code <participant>.commands}). The saga coordinates travel in the event's metadata (see
 * {@link SagaMessages}); answer with {@link ParticipantReply#toEvent(ParticipantRequest)} appended to
 * {@code <participant>.replies}, or let {@link ParticipantEndpoint} do both.
 *
 * @param compensation whether this asks to undo the step rather than do it
 */
public record ParticipantRequest(RecordedEvent command, String sagaType, String sagaId, String step,
                                 String idempotencyKey, int attempt, boolean compensation) {

    /** Reads the saga coordinates of a command event; fails if it was not sent by an orchestrator. */
    public static ParticipantRequest from(RecordedEvent command) {
        String type = require(command, SagaMessages.SAGA_TYPE);
        String id = require(command, dev.strata.eventstore.Metadata.CORRELATION_ID);
        String step = require(command, SagaMessages.STEP);
        String key = require(command, SagaMessages.KEY);
        String attemptText = require(command, SagaMessages.ATTEMPT);
        String phase = require(command, SagaMessages.PHASE);
        int attempt;
        try {
            attempt = Integer.parseInt(attemptText);
        } catch (NumberFormatException e) {
            throw new SagaValidationException("command.metadata." + SagaMessages.ATTEMPT, attemptText, "must be a number");
        }
        if (!phase.equals(SagaMessages.PHASE_ACTION) && !phase.equals(SagaMessages.PHASE_COMPENSATION)) {
            throw new SagaValidationException("command.metadata." + SagaMessages.PHASE, phase, "must be action or compensation");
        }
        return new ParticipantRequest(command, type, id, step, key, attempt, phase.equals(SagaMessages.PHASE_COMPENSATION));
    }

    /** The command's type (the {@link ParticipantCommand#type()}). */
    public String type() {
        return command.type();
    }

    /** The command's payload as JSON text. */
    public String json() {
        return command.dataAsString();
    }

    private static String require(RecordedEvent command, String key) {
        return command.metadata().get(key).orElseThrow(() -> new SagaValidationException("command.metadata." + key, null,
                "must be set (event " + command.id() + " in " + command.stream() + " is not a saga command)"));
    }
}
