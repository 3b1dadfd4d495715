package dev.strata.examples.orders.payment;

import java.util.Map;
import java.util.Optional;

/**
 * The card network, simulated by a rule on Stripe's test tokens so that the example runs offline and the
 * {@link PaymentDecider} stays a pure function. (A real one is a call: the service would make it, with the step's
 * idempotency key, and pass the answer in the command.)
 */
public final class CardNetwork {

    private static final Map<String, String> DECLINED = Map.of(
            "tok_chargeDeclined", "card declined",
            "tok_chargeDeclinedInsufficientFunds", "insufficient funds",
            "tok_chargeDeclinedExpiredCard", "expired card");

    private CardNetwork() {
    }

    /** Why the network declines a charge on {@code card}; empty if it accepts it. */
    public static Optional<String> declineReason(String card) {
        return Optional.ofNullable(DECLINED.get(card));
    }
}
