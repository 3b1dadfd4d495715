package dev.strata.examples.orders.shipping;

import dev.strata.eventstore.model.EventTypes;
import java.time.LocalDate;

/** What happened to an order's shipment, in {@code shipment-<orderId>}. */
public sealed interface ShipmentEvent {

    record ShipmentScheduled(String orderId, String shipmentId, String carrier, LocalDate pickup) implements ShipmentEvent {
    }

    record ShipmentCancelled(String orderId, String shipmentId) implements ShipmentEvent {
    }

    EventTypes<ShipmentEvent> TYPES = EventTypes.builder(ShipmentEvent.class)
            .register("ShipmentScheduled", ShipmentScheduled.class)
            .register("ShipmentCancelled", ShipmentCancelled.class)
            .build();
}
