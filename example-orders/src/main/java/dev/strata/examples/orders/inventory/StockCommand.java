package dev.strata.examples.orders.inventory;

import dev.strata.eventstore.ValidationException;

/** What the inventory can be asked to do; each command is about one product's stock, stream {@code stock-<sku>}. */
public sealed interface StockCommand {

    /** Goods arrived at the warehouse. */
    record AddStock(String sku, int quantity) implements StockCommand {
        public AddStock {
            if (quantity < 1) {
                throw new ValidationException("quantity", quantity, "must be >= 1");
            }
        }
    }

    /** Hold {@code quantity} for an order. */
    record ReserveStock(String sku, String orderId, int quantity) implements StockCommand {
    }

    /** Give an order's hold back: the saga compensating its reservation. */
    record ReleaseStock(String sku, String orderId, int quantity) implements StockCommand {
    }
}
