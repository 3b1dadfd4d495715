package dev.strata.projections;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import java.util.Objects;

/**
 * An event with its data decoded once by the pipeline's {@link EventDecoder}, shared by every projection.
 *
 * @param event the event as stored
 * @param data  what the decoder made of its data (a Jackson tree by default); never changed by a handler
 */
public record DecodedEvent(RecordedEvent event, Object data) {

    public DecodedEvent {
        Objects.requireNonNull(event, "event");
    }

    /** The decoded data as {@code type}; fails with a {@link ValidationException} if it is something else. */
    public <T> T data(Class<T> type) {
        if (!type.isInstance(data)) {
            throw new ValidationException("event.data", data == null ? null : data.getClass().getName(),
                    "must be a " + type.getName() + " (event " + event.type() + " at position " + event.position() + ")");
        }
        return type.cast(data);
    }

    public long position() {
        return event.position();
    }

    public String stream() {
        return event.stream();
    }

    public String type() {
        return event.type();
    }
}
