package dev.strata.projections.internal;

import dev.strata.eventstore.RecordedEvent;

/**
 * A ring entry: an event with its decoded data (or the failure decoding it), or a control command for the
 * projectors. Commands travel through the ring so that they run on the projector threads, in order with events.
 */
final class Slot {

    RecordedEvent event;
    Object data;
    RuntimeException decodeFailure;
    Control control;

    void event(RecordedEvent recorded, Object decoded, RuntimeException failure) {
        this.event = recorded;
        this.data = decoded;
        this.decodeFailure = failure;
        this.control = null;
    }

    void control(Control command) {
        this.event = null;
        this.data = null;
        this.decodeFailure = null;
        this.control = command;
    }
}
