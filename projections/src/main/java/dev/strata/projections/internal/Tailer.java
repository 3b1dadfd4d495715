package dev.strata.projections.internal;

import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.RingBuffer;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.projections.EventDecoder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows the global log (a store subscription, on the subscription's thread) and publishes each event into the
 * ring, decoded once for every projector. A full ring blocks this thread, never the store's writer.
 */
final class Tailer implements SubscriptionListener {

    private static final EventTranslatorThreeArg<Slot, RecordedEvent, Object, RuntimeException> EVENT =
            (slot, sequence, event, data, failure) -> slot.event(event, data, failure);

    private final RingBuffer<Slot> ring;
    private final EventDecoder decoder;
    private final Runnable onCaughtUp;
    private final Consumer<Throwable> onStopped;
    private volatile boolean caughtUp;
    private volatile long lastPublished = StreamVersions.NO_POSITION;

    /** @param onCaughtUp null for the live ring; else called once at the head, after which nothing more is published */
    Tailer(RingBuffer<Slot> ring, EventDecoder decoder, Runnable onCaughtUp, Consumer<Throwable> onStopped) {
        this.ring = ring;
        this.decoder = decoder;
        this.onCaughtUp = onCaughtUp;
        this.onStopped = onStopped;
    }

    @Override
    public void onEvent(RecordedEvent event) {
        if (caughtUp) {
            return;
        }
        Object data = null;
        RuntimeException failure = null;
        try {
            data = decoder.decode(event);
        } catch (RuntimeException e) {
            failure = e; // every projection treats the event as poison, by its own policy
        }
        awaitRoom();
        ring.publishEvent(EVENT, event, data, failure);
        lastPublished = event.position();
    }

    /**
     * Waits for a free slot before claiming one. The Disruptor's multi-producer sequencer claims first and then waits
     * for room; projectors that have drained the ring see the claimed slot and spin until it is published, which took
     * a third of their CPU while catching up on two cores (profiled). A command from another thread may still take
     * the slot first; then the claim below waits as before, rarely.
     */
    private void awaitRoom() {
        while (!ring.hasAvailableCapacity(1)) {
            LockSupport.parkNanos(1);
        }
    }

    @Override
    public void onLive() {
        if (onCaughtUp != null) {
            caughtUp = true;
            onCaughtUp.run();
        }
    }

    @Override
    public void onStopped(Throwable cause) {
        onStopped.accept(cause);
    }

    long lastPublished() {
        return lastPublished;
    }
}
