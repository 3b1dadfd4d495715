package dev.strata.examples.orders.order;

import dev.strata.examples.orders.OrdersException;

/** The order's rules refuse a command (confirming a cancelled order, placing one twice); nothing was written. */
public class OrderRejected extends OrdersException {

    public OrderRejected(String orderId, String message) {
        super("order " + orderId + ": " + message);
    }
}
