package dev.strata.examples.orders.inventory;

import dev.strata.eventstore.model.EventTypes;

/** What happened to a product's stock, in {@code stock-<sku>}. */
public sealed interface StockEvent {

    record StockAdded(String sku, int quantity) implements StockEvent {
    }

    record StockReserved(String sku, String orderId, int quantity) implements StockEvent {
    }

    /** The stock could not cover a reservation: a business outcome, recorded like any other. */
    record StockReservationFailed(String sku, String orderId, int quantity, int available) implements StockEvent {
    }

    record StockReleased(String sku, String orderId, int quantity) implements StockEvent {
    }

    EventTypes<StockEvent> TYPES = EventTypes.builder(StockEvent.class)
            .register("StockAdded", StockAdded.class)
            .register("StockReserved", StockReserved.class)
            .register("StockReservationFailed", StockReservationFailed.class)
            .register("StockReleased", StockReleased.class)
            .build();
}
