package dev.strata.examples.orders.order;

/** What the order service can be asked to do; each command is about one order stream, {@code order-<orderId>}. */
public sealed interface OrderCommand {

    /** Opens the order. The price comes from the catalog, not from the client. */
    record PlaceOrder(String orderId, String customer, String sku, int quantity, long unitPriceCents) implements OrderCommand {
    }

    /** The saga's last step: stock held, card charged, shipment booked. */
    record ConfirmOrder(String shipmentId) implements OrderCommand {
    }

    /** The saga's compensation of {@code place}: the order will not be fulfilled, and why. */
    record CancelOrder(String reason) implements OrderCommand {
    }
}
