package dev.strata.eventstore;

import java.util.List;

/** One stream's part of an append: the stream, what its version must be, and the events to add to it. */
public record AppendRequest(String stream, ExpectedVersion expectedVersion, List<EventData> events) {

    public AppendRequest {
        if (expectedVersion == null) {
            throw new ValidationException("expectedVersion", null, "must not be null (use ExpectedVersion.any())");
        }
        if (events == null) {
            throw new ValidationException("events", null, "must not be null");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new ValidationException("events[" + i + "]", null, "must not be null");
            }
        }
        events = List.copyOf(events);
    }

    public static AppendRequest of(String stream, ExpectedVersion expectedVersion, EventData... events) {
        return new AppendRequest(stream, expectedVersion, List.of(events));
    }
}
