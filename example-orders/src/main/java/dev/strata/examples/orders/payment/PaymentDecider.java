package dev.strata.examples.orders.payment;

import dev.strata.eventstore.model.Decider;
import dev.strata.examples.orders.payment.PaymentCommand.ChargeCard;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentCaptured;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentFailed;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentRefunded;
import java.util.List;

/**
 * The payment's rules: an order is charged at most once, and refunded at most once, only if it was charged. A charge
 * that arrives again (a redelivered message, a retried step) changes nothing: the answer is the payment as it stands.
 */
public final class PaymentDecider implements Decider<PaymentCommand, PaymentEvent, Payment> {

    @Override
    public Payment initialState() {
        return Payment.NONE;
    }

    @Override
    public List<PaymentEvent> decide(PaymentCommand command, Payment payment) {
        if (command instanceof ChargeCard charge) {
            if (payment.status() != PaymentStatus.NONE) {
                return List.of();
            }
            return CardNetwork.declineReason(charge.card())
                    .<List<PaymentEvent>>map(reason -> List.of(new PaymentFailed(charge.orderId(), charge.amountCents(), reason)))
                    .orElseGet(() -> List.of(new PaymentCaptured(charge.orderId(), charge.amountCents())));
        }
        if (payment.status() != PaymentStatus.CAPTURED) {
            return List.of(); // nothing was charged, or it was refunded already
        }
        return List.of(new PaymentRefunded(((PaymentCommand.RefundPayment) command).orderId(), payment.amountCents()));
    }

    @Override
    public Payment evolve(Payment payment, PaymentEvent event) {
        if (event instanceof PaymentCaptured captured) {
            return new Payment(PaymentStatus.CAPTURED, captured.amountCents(), null);
        }
        if (event instanceof PaymentFailed failed) {
            return new Payment(PaymentStatus.FAILED, failed.amountCents(), failed.reason());
        }
        return new Payment(PaymentStatus.REFUNDED, ((PaymentRefunded) event).amountCents(), null);
    }
}
