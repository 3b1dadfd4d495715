package dev.strata.examples.orders;

import dev.strata.eventstore.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the shop sells and at what price (in cents). The price of an order comes from here, never from the client. */
public final class Catalog {

    private static final Map<String, Long> PRICES = new LinkedHashMap<>();

    static {
        PRICES.put("widget", 42_00L);
        PRICES.put("gadget", 19_99L);
        PRICES.put("gizmo", 129_00L);
    }

    private Catalog() {
    }

    public static Iterable<String> skus() {
        return PRICES.keySet();
    }

    public static long priceCents(String sku) {
        Long price = PRICES.get(sku);
        if (price == null) {
            throw new ValidationException("sku", sku, "must be one of " + PRICES.keySet());
        }
        return price;
    }

    /** {@code 4200} as {@code $42.00}. */
    public static String dollars(long cents) {
        return String.format("$%d.%02d", cents / 100, Math.abs(cents % 100));
    }
}
