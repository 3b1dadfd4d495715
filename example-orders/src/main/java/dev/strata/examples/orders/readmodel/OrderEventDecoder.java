package dev.strata.examples.orders.readmodel;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.model.EventDecodingException;
import dev.strata.eventstore.model.EventTypes;
import dev.strata.examples.orders.inventory.StockEvent;
import dev.strata.examples.orders.order.OrderEvent;
import dev.strata.examples.orders.payment.PaymentEvent;
import dev.strata.examples.orders.shipping.ShipmentEvent;
import dev.strata.projections.EventDecoder;
import java.util.List;

/**
 * Decodes each event once for all the read models, into the same records the services write, through the same
 * {@link EventTypes} (so an upcaster added there applies here too). Events of other streams (saga logs, the payment
 * messages, snapshots) decode to null: no read model of this example needs them.
 */
public final class OrderEventDecoder implements EventDecoder {

    @Override
    public Object decode(RecordedEvent event) {
        EventTypes<?> types = switch (event.category()) {
            case "order" -> OrderEvent.TYPES;
            case "stock" -> StockEvent.TYPES;
            case "payment" -> PaymentEvent.TYPES;
            case "shipment" -> ShipmentEvent.TYPES;
            default -> null;
        };
        if (types == null) {
            return null;
        }
        List<?> records = types.decode(event);
        if (records.size() != 1) {
            // Only an upcaster that splits or drops events gets here, and this example has none: stop visibly.
            throw new EventDecodingException(event.stream(), event.version(), event.type(), EventTypes.revisionOf(event),
                    "it reads as " + records.size() + " records; the read models expect one", null);
        }
        return records.get(0);
    }
}
