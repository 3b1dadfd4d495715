package dev.strata.examples.orders.readmodel;

/** A row of the stock levels: one product, what can still be promised and what is held for orders. */
public record StockLevel(String sku, int available, int reserved) {
}
