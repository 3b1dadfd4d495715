package dev.strata.examples.orders.shipping;

import dev.strata.eventstore.model.Decider;
import dev.strata.examples.orders.shipping.ShipmentCommand.ScheduleShipment;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentCancelled;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentScheduled;
import java.util.List;

/** Shipping's rules: one shipment per order, booked once; cancelling a shipment that was never booked changes nothing. */
public final class ShipmentDecider implements Decider<ShipmentCommand, ShipmentEvent, Shipment> {

    /** Small parcels go by courier, the rest by freight. */
    static final int PARCEL_LIMIT = 5;

    @Override
    public Shipment initialState() {
        return Shipment.NONE;
    }

    @Override
    public List<ShipmentEvent> decide(ShipmentCommand command, Shipment shipment) {
        if (command instanceof ScheduleShipment schedule) {
            if (shipment.scheduled()) {
                return List.of();
            }
            String carrier = schedule.quantity() <= PARCEL_LIMIT ? "parcel courier" : "freight";
            return List.of(new ShipmentScheduled(schedule.orderId(), "shp-" + schedule.orderId(), carrier, schedule.pickup()));
        }
        if (!shipment.scheduled() || shipment.cancelled()) {
            return List.of();
        }
        return List.of(new ShipmentCancelled(((ShipmentCommand.CancelShipment) command).orderId(), shipment.shipmentId()));
    }

    @Override
    public Shipment evolve(Shipment shipment, ShipmentEvent event) {
        if (event instanceof ShipmentScheduled scheduled) {
            return new Shipment(true, false, scheduled.shipmentId());
        }
        return new Shipment(true, true, shipment.shipmentId());
    }
}
