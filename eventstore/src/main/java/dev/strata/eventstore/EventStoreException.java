package dev.strata.eventstore;

/**
 * The root of every failure the event store reports. Unchecked; each subtype carries the fields that
 * explain it. {@link #isRetryable()} tells callers (the relay, sagas, command handlers) whether trying
 * the same operation again can help.
 */
public abstract class EventStoreException extends RuntimeException {

    protected EventStoreException(String message) {
        super(message);
    }

    protected EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed later without changing its arguments. */
    public boolean isRetryable() {
        return false;
    }
}
