package dev.strata.eventstore;

/**
 * Live subscriptions: catch up from a starting point, then follow new events. Delivery is at-least-once across
 * restarts (resume from the last position you processed plus one) and exactly once, in order, within one
 * subscription.
 */
public interface EventSubscriber {

    /** Every event from global position {@code fromPosition} (inclusive) on. */
    Subscription subscribeToAll(long fromPosition, SubscriptionListener listener);

    /** Events of streams in {@code category}, from global position {@code fromPosition} (inclusive) on. */
    Subscription subscribeToCategory(String category, long fromPosition, SubscriptionListener listener);

    /** Events of {@code stream} from {@code fromVersion} (inclusive) on; the stream need not exist yet. */
    Subscription subscribeToStream(String stream, long fromVersion, SubscriptionListener listener);
}
