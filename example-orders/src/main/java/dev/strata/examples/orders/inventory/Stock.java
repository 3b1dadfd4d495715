package dev.strata.examples.orders.inventory;

/** One product's stock: what can still be promised, and what is held for orders. */
public record Stock(int available, int reserved) {

    static final Stock NONE = new Stock(0, 0);
}
