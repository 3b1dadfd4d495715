package dev.strata.examples.orders.shipping;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.model.CommandHandler;
import dev.strata.eventstore.model.CommandResult;
import dev.strata.examples.orders.StepCommands;
import dev.strata.examples.orders.shipping.ShipmentCommand.CancelShipment;
import dev.strata.examples.orders.shipping.ShipmentCommand.ScheduleShipment;
import java.time.Clock;
import java.time.LocalDate;

/** The shipping service: one stream per order's shipment, {@code shipment-<orderId>}, kept by the {@link ShipmentDecider}. */
public final class ShippingService {

    private final Clock clock;
    private final CommandHandler<ShipmentCommand, ShipmentEvent, Shipment> shipments;

    public ShippingService(EventStore store, Clock clock) {
        this.clock = clock;
        this.shipments = CommandHandler.builder(store, new ShipmentDecider(), ShipmentEvent.TYPES).name("shipping").build();
    }

    public static String stream(String orderId) {
        return "shipment-" + orderId;
    }

    /** Books a carrier for tomorrow; returns the shipment id. */
    public String schedule(String idempotencyKey, String orderId, String sku, int quantity) {
        LocalDate pickup = LocalDate.now(clock).plusDays(1);
        CommandResult<ShipmentEvent> result = shipments.handle(
                StepCommands.command(stream(orderId), new ScheduleShipment(orderId, sku, quantity, pickup), idempotencyKey, orderId));
        if (!result.events().isEmpty() && result.events().get(0) instanceof ShipmentEvent.ShipmentScheduled scheduled) {
            return scheduled.shipmentId();
        }
        return shipment(orderId).shipmentId(); // booked before, by another command
    }

    public void cancel(String idempotencyKey, String orderId) {
        shipments.handle(StepCommands.command(stream(orderId), new CancelShipment(orderId), idempotencyKey, orderId));
    }

    public Shipment shipment(String orderId) {
        return shipments.currentState(stream(orderId));
    }
}
