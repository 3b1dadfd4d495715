package dev.strata.examples.orders;

/**
 * An order id (or the idempotency key it came from) was used before for a different order. A retry must repeat the
 * request exactly; a new order needs a new id.
 */
public class OrderIdInUseException extends OrdersException {

    private final String orderId;

    public OrderIdInUseException(String orderId, OrderRequest placed, OrderRequest retried) {
        super("order " + orderId + " was placed as " + placed.describe() + "; a request with the same id cannot be "
                + retried.describe());
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
