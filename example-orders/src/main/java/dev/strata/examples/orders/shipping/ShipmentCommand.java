package dev.strata.examples.orders.shipping;

import java.time.LocalDate;

/** What shipping can be asked to do, about one order's shipment, stream {@code shipment-<orderId>}. */
public sealed interface ShipmentCommand {

    /** Book a carrier; {@code pickup} comes from the service's clock (deciders have none). */
    record ScheduleShipment(String orderId, String sku, int quantity, LocalDate pickup) implements ShipmentCommand {
    }

    record CancelShipment(String orderId) implements ShipmentCommand {
    }
}
