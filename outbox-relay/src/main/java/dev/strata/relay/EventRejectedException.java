package dev.strata.relay;

/**
 * The destination refused one event for good (an HTTP 4xx other than 408 and 429, a Kafka record too large): the
 * events before it in the batch were acknowledged, this one goes to the relay's dead-letter stream with
 * {@link #reason()}, and the relay goes on with the events after it.
 */
public class EventRejectedException extends SinkException {

    private final int index;
    private final String reason;

    /** {@code index}: the refused event's index in the list given to {@link EventSink#publish}. */
    public EventRejectedException(int index, String reason, Throwable cause) {
        super("event " + index + " of the batch was refused: " + reason, false, null, index, cause);
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0 but was " + index);
        }
        this.index = index;
        this.reason = reason;
    }

    public int index() {
        return index;
    }

    public String reason() {
        return reason;
    }
}
