package dev.strata.examples.orders;

import dev.strata.eventstore.ValidationException;
import java.util.regex.Pattern;

/**
 * A customer's order as the shop receives it: one product line and a payment token. Validates itself, naming the
 * field, the value and the rule, so bad input never reaches a saga.
 *
 * @param card a payment token from the card vault, never a card number (Stripe's test tokens work: {@code tok_visa}
 *             is accepted, {@code tok_chargeDeclined} declined)
 */
public record OrderRequest(String orderId, String customer, String sku, int quantity, String card) {

    public static final int MAX_QUANTITY = 100;
    /** Order ids name streams ({@code order-<id>}), the saga ({@code $saga-place_order-<id>}) and URLs. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CUSTOMER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");
    private static final Pattern CARD = Pattern.compile("tok_[A-Za-z0-9_]{1,60}");

    public OrderRequest {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw new ValidationException("orderId", orderId, "must match " + ORDER_ID.pattern());
        }
        if (customer == null || !CUSTOMER.matcher(customer).matches()) {
            throw new ValidationException("customer", customer, "must match " + CUSTOMER.pattern());
        }
        Catalog.priceCents(sku);
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new ValidationException("quantity", quantity, "must be between 1 and " + MAX_QUANTITY);
        }
        if (card == null || !CARD.matcher(card).matches()) {
            throw new ValidationException("card", card, "must be a payment token matching " + CARD.pattern());
        }
    }

    /** A request with a fresh random order id. */
    public static OrderRequest of(String customer, String sku, int quantity, String card) {
        return new OrderRequest(OrderIds.random(), customer, sku, quantity, card);
    }

    public long unitPriceCents() {
        return Catalog.priceCents(sku);
    }

    public long totalCents() {
        return unitPriceCents() * quantity;
    }

    String describe() {
        return customer + " buys " + quantity + " x " + sku + " with " + card;
    }
}
