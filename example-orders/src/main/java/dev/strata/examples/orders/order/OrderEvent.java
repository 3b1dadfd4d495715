package dev.strata.examples.orders.order;

import dev.strata.eventstore.model.EventTypes;

/**
 * What happened to an order: the facts stored in {@code order-<orderId>}, and the events the relay publishes to other
 * systems. Type names are what the store and CloudEvents call the event's {@code type}.
 */
public sealed interface OrderEvent {

    record OrderPlaced(String orderId, String customer, String sku, int quantity, long unitPriceCents, long totalCents)
            implements OrderEvent {
    }

    record OrderConfirmed(String orderId, String shipmentId) implements OrderEvent {
    }

    record OrderCancelled(String orderId, String reason) implements OrderEvent {
    }

    EventTypes<OrderEvent> TYPES = EventTypes.builder(OrderEvent.class)
            .register("OrderPlaced", OrderPlaced.class)
            .register("OrderConfirmed", OrderConfirmed.class)
            .register("OrderCancelled", OrderCancelled.class)
            .build();
}
