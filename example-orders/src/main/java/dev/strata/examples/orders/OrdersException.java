package dev.strata.examples.orders;

/** The root of the example's own failures (bad input uses the store's {@code ValidationException}). */
public abstract class OrdersException extends RuntimeException {

    protected OrdersException(String message) {
        super(message);
    }
}
