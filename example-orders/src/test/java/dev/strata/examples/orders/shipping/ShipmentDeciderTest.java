package dev.strata.examples.orders.shipping;

import dev.strata.eventstore.testing.DeciderFixture;
import dev.strata.examples.orders.shipping.ShipmentCommand.CancelShipment;
import dev.strata.examples.orders.shipping.ShipmentCommand.ScheduleShipment;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentCancelled;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentScheduled;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ShipmentDeciderTest {

    private final DeciderFixture<ShipmentCommand, ShipmentEvent, Shipment> shipment =
            DeciderFixture.of(new ShipmentDecider(), ShipmentEvent.TYPES);
    private final LocalDate tomorrow = LocalDate.of(2026, 1, 2);

    @Test
    void smallOrdersGoByCourierLargeOnesByFreight() {
        shipment.given().when(new ScheduleShipment("o1", "widget", 1, tomorrow))
                .then(new ShipmentScheduled("o1", "shp-o1", "parcel courier", tomorrow));
        shipment.given().when(new ScheduleShipment("o1", "widget", 50, tomorrow))
                .then(new ShipmentScheduled("o1", "shp-o1", "freight", tomorrow));
    }

    @Test
    void aShipmentIsBookedOnceAndCancelledOnceIfItWasBooked() {
        ShipmentScheduled scheduled = new ShipmentScheduled("o1", "shp-o1", "parcel courier", tomorrow);
        shipment.given(scheduled).when(new ScheduleShipment("o1", "widget", 1, tomorrow)).then();
        shipment.given(scheduled).when(new CancelShipment("o1")).then(new ShipmentCancelled("o1", "shp-o1"));
        shipment.given(scheduled, new ShipmentCancelled("o1", "shp-o1")).when(new CancelShipment("o1")).then();
        shipment.given().when(new CancelShipment("o1")).then();
    }
}
