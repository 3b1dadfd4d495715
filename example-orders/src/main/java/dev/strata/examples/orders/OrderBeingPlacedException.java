package dev.strata.examples.orders;

/** Another call is placing the same order and its saga has not started yet (a slow disk, a closing shop): try again. */
public class OrderBeingPlacedException extends OrdersException {

    public OrderBeingPlacedException(String orderId) {
        super("order " + orderId + " is being placed by another call; try again");
    }
}
