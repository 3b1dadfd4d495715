package dev.strata.eventstore;

import java.util.UUID;

/**
 * An event id is already stored, but the append carrying it is not a retry of the append that stored it
 * (another stream, other content, or a different set of events). Nothing was written. See
 * {@link EventAppender} for the exact idempotence rule.
 */
public class DuplicateEventIdException extends EventStoreException {

    private final UUID eventId;
    private final String stream;
    private final String storedStream;
    private final long storedPosition;
    private final String reason;

    public DuplicateEventIdException(UUID eventId, String stream, String storedStream, long storedPosition, String why) {
        super("event id " + eventId + " in an append to stream '" + stream + "' is already stored at position "
                + storedPosition + " in stream '" + storedStream + "', and " + why
                + "; a retry must repeat the original append exactly, a new event needs a new id");
        this.eventId = eventId;
        this.stream = stream;
        this.storedStream = storedStream;
        this.storedPosition = storedPosition;
        this.reason = why;
    }

    public UUID eventId() {
        return eventId;
    }

    public String stream() {
        return stream;
    }

    public String storedStream() {
        return storedStream;
    }

    public long storedPosition() {
        return storedPosition;
    }

    /** Why the append is not a retry: "it is in another stream", "its content differs", ... */
    public String reason() {
        return reason;
    }
}
