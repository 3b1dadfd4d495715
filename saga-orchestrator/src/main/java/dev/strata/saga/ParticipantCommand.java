package dev.strata.saga;

import dev.strata.eventstore.EventData;

/**
 * A command for a participant reached through the store: an event of {@code type} whose data is {@code payload}
 * as JSON (a record, a map, a JSON tree; serialized with the orchestrator's Jackson mapper).
 */
public record ParticipantCommand(String type, Object payload) {

    public ParticipantCommand {
        try {
            EventData.json(type, "{}");
        } catch (RuntimeException e) {
            throw new SagaValidationException("command.type", type, "must be a valid event type");
        }
        if (payload == null) {
            throw new SagaValidationException("command.payload", null, "must not be null");
        }
    }

    public static ParticipantCommand of(String type, Object payload) {
        return new ParticipantCommand(type, payload);
    }
}
