package dev.strata.examples.orders.payment;

/**
 * What the payment service can be asked to do, about one order's payment, stream {@code payment-<orderId>}. The
 * saga sends these as messages through the store ({@code payment.commands}); the records are also their JSON payload.
 */
public sealed interface PaymentCommand {

    record ChargeCard(String orderId, long amountCents, String card) implements PaymentCommand {
    }

    record RefundPayment(String orderId) implements PaymentCommand {
    }
}
