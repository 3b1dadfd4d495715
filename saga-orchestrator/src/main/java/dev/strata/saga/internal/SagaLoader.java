package dev.strata.saga.internal;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import java.util.Iterator;
import java.util.stream.Stream;

/** Folds a saga's stream into a {@link SagaInstance}, keeping the first event's metadata (correlation and trace). */
public final class SagaLoader {

    private SagaLoader() {
    }

    public record Loaded(SagaInstance instance, Metadata metadata) {
    }

    public static Loaded load(EventReader reader, String stream) {
        SagaInstance instance = new SagaInstance();
        Metadata metadata = Metadata.empty();
        try (Stream<RecordedEvent> events = reader.readStream(stream, 0, Direction.FORWARD, Integer.MAX_VALUE)) {
            Iterator<RecordedEvent> iterator = events.iterator();
            boolean first = true;
            while (iterator.hasNext()) {
                RecordedEvent event = iterator.next();
                if (first) {
                    metadata = event.metadata();
                    first = false;
                }
                instance.apply(SagaEventCodec.decode(event), event.version(), event.position(), event.id(), event.timestamp());
            }
        }
        return new Loaded(instance, metadata);
    }
}
