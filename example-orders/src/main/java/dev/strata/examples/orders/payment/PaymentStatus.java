package dev.strata.examples.orders.payment;

public enum PaymentStatus {
    NONE, CAPTURED, FAILED, REFUNDED
}
