package dev.strata.eventstore;

/**
 * A running subscription: it first delivers the stored events from its starting point (catch-up), then new
 * ones as they are acknowledged (live), in order, with no gap and no duplicate at the switch, because both
 * phases read the same log up to the same commit watermark.
 */
public interface Subscription extends AutoCloseable {

    /** The global position of the last event delivered, or {@link StreamVersions#NO_POSITION} if none yet. */
    long lastPosition();

    /** Whether the subscription has caught up and is delivering live events. */
    boolean isLive();

    /** Whether the subscription is still running. */
    boolean isRunning();

    /** Stops delivery and waits (briefly) for the subscription thread to finish its current event. */
    @Override
    void close();
}
