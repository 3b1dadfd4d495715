package dev.strata.examples.orders.order;

/** The order aggregate's state: only what its rules need. */
public record Order(OrderStatus status, String orderId) {

    static final Order NONE = new Order(OrderStatus.NONE, null);
}
