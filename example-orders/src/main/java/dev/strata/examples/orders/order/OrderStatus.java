package dev.strata.examples.orders.order;

/** An order's lifecycle as the order service sees it. */
public enum OrderStatus {
    /** No such order (a stream without events). */
    NONE,
    /** Placed; the saga is working on it. */
    PLACED,
    /** Stock held, card charged, shipment booked. */
    CONFIRMED,
    /** Will not be fulfilled; whatever was done for it has been undone. */
    CANCELLED
}
