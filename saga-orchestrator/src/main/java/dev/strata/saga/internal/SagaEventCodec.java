package dev.strata.saga.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaValidationException;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saga events to and from store events: JSON data, event type = the record's simple name. Unknown fields are
 * ignored on read, so a newer writer's additions do not break an older reader.
 */
public final class SagaEventCodec {

    private static final ObjectMapper MAPPER = SagaJson.mapper();
    private static final Map<String, Class<? extends SagaEvent>> TYPES = Map.ofEntries(
            entry(SagaEvent.SagaStarted.class), entry(SagaEvent.StepStarted.class), entry(SagaEvent.StepSucceeded.class),
            entry(SagaEvent.StepFailed.class), entry(SagaEvent.SagaCompensating.class),
            entry(SagaEvent.CompensationStarted.class), entry(SagaEvent.CompensationSucceeded.class),
            entry(SagaEvent.CompensationFailed.class), entry(SagaEvent.SagaCompleted.class),
            entry(SagaEvent.SagaCompensated.class), entry(SagaEvent.SagaStuck.class), entry(SagaEvent.SagaRetried.class));

    private SagaEventCodec() {
    }

    private static Map.Entry<String, Class<? extends SagaEvent>> entry(Class<? extends SagaEvent> type) {
        return Map.entry(type.getSimpleName(), type);
    }

    public static boolean isSagaEvent(String type) {
        return TYPES.containsKey(type);
    }

    public static EventData encode(SagaEvent event, Metadata metadata) {
        try {
            return new EventData(randomId(), event.getClass().getSimpleName(), EventData.JSON, metadata,
                    MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new SagaValidationException("saga event", event.getClass().getSimpleName(), "must serialize to JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A random (version 4) UUID from a thread-local generator: event ids must be unique, not unguessable, and
     * {@link UUID#randomUUID()} goes through SecureRandom, which showed in profiles at several ids per saga.
     */
    static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }

    public static SagaEvent decode(RecordedEvent event) {
        Class<? extends SagaEvent> type = TYPES.get(event.type());
        if (type == null) {
            throw new SagaValidationException("saga event type", event.type(), "must be one of " + TYPES.keySet()
                    + " (event " + event.id() + " in " + event.stream() + ")");
        }
        try {
            return MAPPER.readValue(event.data(), type);
        } catch (IOException e) {
            throw new SagaValidationException("saga event", event.stream() + "@" + event.version(),
                    "must be valid " + event.type() + " JSON: " + e.getMessage());
        }
    }
}
