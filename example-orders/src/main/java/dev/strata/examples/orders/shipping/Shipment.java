package dev.strata.examples.orders.shipping;

/** One order's shipment: {@code shipmentId} is null until it is scheduled. */
public record Shipment(boolean scheduled, boolean cancelled, String shipmentId) {

    static final Shipment NONE = new Shipment(false, false, null);
}
