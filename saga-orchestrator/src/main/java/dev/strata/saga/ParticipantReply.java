package dev.strata.saga;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.internal.SagaJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A participant's answer to a {@link ParticipantRequest}: success with a JSON payload, or a transient or permanent
 * failure with a reason. As an event ({@link #toEvent}) its id is derived from the command's id, so answering the
 * same command twice appends nothing the second time; and the orchestrator applies one reply per step even if
 * several arrive.
 *
 * @param type   the reply event's type
 * @param json   the payload (a success's result; {@code {"reason": ...}} for a failure)
 * @param reason why it failed; null on success
 */
public record ParticipantReply(Outcome outcome, String type, String json, String reason) {

    public enum Outcome { SUCCEEDED, TRANSIENT_FAILURE, PERMANENT_FAILURE }

    public ParticipantReply {
        if (outcome == null) {
            throw new SagaValidationException("reply.outcome", null, "must not be null");
        }
        if (json == null) {
            throw new SagaValidationException("reply.json", null, "must not be null (use \"{}\")");
        }
        new ParticipantCommand(type, json); // validates the type
    }

    public static ParticipantReply success(String type, String json) {
        return new ParticipantReply(Outcome.SUCCEEDED, type, json, null);
    }

    public static ParticipantReply success() {
        return success("StepDone", "{}");
    }

    public static ParticipantReply transientFailure(String reason) {
        return new ParticipantReply(Outcome.TRANSIENT_FAILURE, "StepFailed", reasonJson(reason), reason);
    }

    public static ParticipantReply permanentFailure(String reason) {
        return new ParticipantReply(Outcome.PERMANENT_FAILURE, "StepFailed", reasonJson(reason), reason);
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** The reply as an event for {@code <participant>.replies}, correlated with {@code request}. */
    public EventData toEvent(ParticipantRequest request) {
        RecordedEvent command = request.command();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Metadata.CORRELATION_ID, request.sagaId());
        metadata.put(Metadata.CAUSATION_ID, command.id().toString());
        command.metadata().traceparent().ifPresent(trace -> metadata.put(Metadata.TRACEPARENT, trace));
        metadata.put(SagaMessages.SAGA_TYPE, request.sagaType());
        metadata.put(SagaMessages.STEP, request.step());
        metadata.put(SagaMessages.KEY, request.idempotencyKey());
        metadata.put(SagaMessages.ATTEMPT, Integer.toString(request.attempt()));
        metadata.put(SagaMessages.PHASE, request.compensation() ? SagaMessages.PHASE_COMPENSATION : SagaMessages.PHASE_ACTION);
        metadata.put(SagaMessages.OUTCOME, switch (outcome) {
            case SUCCEEDED -> SagaMessages.SUCCEEDED;
            case TRANSIENT_FAILURE -> SagaMessages.TRANSIENT;
            case PERMANENT_FAILURE -> SagaMessages.PERMANENT;
        });
        UUID id = UUID.nameUUIDFromBytes(("reply:" + command.id()).getBytes(StandardCharsets.UTF_8));
        return new EventData(id, type, EventData.JSON, Metadata.of(metadata), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a reply event; fails if it carries no saga outcome. */
    public static ParticipantReply from(RecordedEvent event) {
        String outcome = event.metadata().get(SagaMessages.OUTCOME).orElseThrow(() -> new SagaValidationException(
                "reply.metadata." + SagaMessages.OUTCOME, null, "must be set (event " + event.id() + " is not a saga reply)"));
        String json = event.dataAsString();
        return switch (outcome) {
            case SagaMessages.SUCCEEDED -> new ParticipantReply(Outcome.SUCCEEDED, event.type(), json, null);
            case SagaMessages.TRANSIENT -> new ParticipantReply(Outcome.TRANSIENT_FAILURE, event.type(), json, reasonOf(json));
            case SagaMessages.PERMANENT -> new ParticipantReply(Outcome.PERMANENT_FAILURE, event.type(), json, reasonOf(json));
            default -> throw new SagaValidationException("reply.metadata." + SagaMessages.OUTCOME, outcome,
                    "must be one of succeeded, transient, permanent");
        };
    }

    private static String reasonJson(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new SagaValidationException("reply.reason", reason, "must say why the step failed");
        }
        return "{\"reason\":" + SagaJson.quote(reason) + "}";
    }

    private static String reasonOf(String json) {
        return SagaJson.stringField(json, "reason").orElse(json);
    }
}
