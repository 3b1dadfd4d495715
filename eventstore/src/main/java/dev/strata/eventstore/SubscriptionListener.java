package dev.strata.eventstore;

/**
 * Receives a subscription's events, one at a time, in order, on the subscription's own thread.
 * A slow listener slows only its own subscription, never writers or other subscribers.
 */
@FunctionalInterface
public interface SubscriptionListener {

    void onEvent(RecordedEvent event);

    /** Called once, when the subscription has delivered everything stored when it caught up, and goes live. */
    default void onLive() {
    }

    /**
     * Called once if the subscription stops for a reason other than {@link Subscription#close()}: the listener
     * threw, the store closed, or a record could not be read. No event is delivered after it.
     */
    default void onStopped(Throwable cause) {
    }
}
