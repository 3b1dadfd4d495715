package dev.strata.examples.orders.payment;

import dev.strata.eventstore.testing.DeciderFixture;
import dev.strata.examples.orders.payment.PaymentCommand.ChargeCard;
import dev.strata.examples.orders.payment.PaymentCommand.RefundPayment;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentCaptured;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentFailed;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentRefunded;
import org.junit.jupiter.api.Test;

class PaymentDeciderTest {

    private final DeciderFixture<PaymentCommand, PaymentEvent, Payment> payment =
            DeciderFixture.of(new PaymentDecider(), PaymentEvent.TYPES);

    @Test
    void theCardNetworkDecides() {
        payment.given().when(new ChargeCard("o1", 42_00, "tok_visa")).then(new PaymentCaptured("o1", 42_00));
        payment.given().when(new ChargeCard("o1", 42_00, "tok_chargeDeclined")).then(new PaymentFailed("o1", 42_00, "card declined"));
        payment.given().when(new ChargeCard("o1", 42_00, "tok_chargeDeclinedInsufficientFunds"))
                .then(new PaymentFailed("o1", 42_00, "insufficient funds"));
    }

    @Test
    void anOrderIsChargedAtMostOnce() {
        payment.given(new PaymentCaptured("o1", 42_00)).when(new ChargeCard("o1", 42_00, "tok_visa")).then();
        payment.given(new PaymentFailed("o1", 42_00, "card declined")).when(new ChargeCard("o1", 42_00, "tok_visa")).then();
    }

    @Test
    void onlyACapturedPaymentIsRefundedAndOnlyOnce() {
        payment.given(new PaymentCaptured("o1", 42_00)).when(new RefundPayment("o1")).then(new PaymentRefunded("o1", 42_00));
        payment.given(new PaymentCaptured("o1", 42_00), new PaymentRefunded("o1", 42_00)).when(new RefundPayment("o1")).then();
        payment.given(new PaymentFailed("o1", 42_00, "card declined")).when(new RefundPayment("o1")).then();
        payment.given().when(new RefundPayment("o1")).then();
    }
}
