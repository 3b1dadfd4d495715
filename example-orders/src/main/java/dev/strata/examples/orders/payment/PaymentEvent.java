package dev.strata.examples.orders.payment;

import dev.strata.eventstore.model.EventTypes;

/** What happened to an order's payment, in {@code payment-<orderId>}. */
public sealed interface PaymentEvent {

    record PaymentCaptured(String orderId, long amountCents) implements PaymentEvent {
    }

    record PaymentFailed(String orderId, long amountCents, String reason) implements PaymentEvent {
    }

    record PaymentRefunded(String orderId, long amountCents) implements PaymentEvent {
    }

    EventTypes<PaymentEvent> TYPES = EventTypes.builder(PaymentEvent.class)
            .register("PaymentCaptured", PaymentCaptured.class)
            .register("PaymentFailed", PaymentFailed.class)
            .register("PaymentRefunded", PaymentRefunded.class)
            .build();
}
