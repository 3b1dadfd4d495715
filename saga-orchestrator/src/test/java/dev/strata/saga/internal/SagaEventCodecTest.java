package dev.strata.saga.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.FailureKind;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaValidationException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SagaEventCodecTest {

    private static RecordedEvent stored(EventData data) {
        return new RecordedEvent(data.id(), "$saga-t-1", 0, 0, data.type(), Instant.EPOCH, data.contentType(), data.metadata(), data.data());
    }

    @Test
    void everyEventMakesARoundTripThroughJson() {
        Instant at = Instant.parse("2026-01-01T00:00:01.123456Z");
        List<SagaEvent> events = List.of(
                new SagaEvent.SagaStarted("1", "t", "key", JsonNodeFactory.instance.objectNode().put("a", 1), at, List.of("x", "y")),
                new SagaEvent.StepStarted("x", 1, "t:1:x", null),
                new SagaEvent.StepSucceeded("x", 1, JsonNodeFactory.instance.objectNode().put("a", 2), 17),
                new SagaEvent.StepFailed("y", 2, FailureKind.TIMEOUT, "slow", at),
                new SagaEvent.SagaCompensating("y", "why", List.of("y", "x")),
                new SagaEvent.CompensationStarted("y", 1, "t:1:y:compensation", at),
                new SagaEvent.CompensationSucceeded("y", 1, 3),
                new SagaEvent.CompensationFailed("x", 1, FailureKind.PERMANENT, "no", null),
                new SagaEvent.SagaCompleted(JsonNodeFactory.instance.objectNode()),
                new SagaEvent.SagaCompensated("why"),
                new SagaEvent.SagaStuck("x", "no"),
                new SagaEvent.SagaRetried("ops"));
        for (SagaEvent event : events) {
            EventData data = SagaEventCodec.encode(event, Metadata.empty());
            assertThat(data.type()).isEqualTo(event.getClass().getSimpleName());
            assertThat(SagaEventCodec.decode(stored(data))).isEqualTo(event);
        }
    }

    @Test
    void idsAreVersion4AndDistinct() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = SagaEventCodec.randomId();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void foreignEventsAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> SagaEventCodec.decode(stored(EventData.json("OrderPlaced", "{}"))))
                .isInstanceOf(SagaValidationException.class).hasMessageContaining("saga event type must be one of");
        assertThatThrownBy(() -> SagaEventCodec.decode(stored(EventData.json("StepStarted", "not json"))))
                .isInstanceOf(SagaValidationException.class).hasMessageContaining("$saga-t-1@0");
    }
}
