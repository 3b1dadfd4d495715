package dev.strata.examples.orders.payment;

/** One order's payment. {@code failure} says why the card was declined, if it was. */
public record Payment(PaymentStatus status, long amountCents, String failure) {

    static final Payment NONE = new Payment(PaymentStatus.NONE, 0, null);
}
