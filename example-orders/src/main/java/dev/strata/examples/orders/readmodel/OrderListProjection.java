package dev.strata.examples.orders.readmodel;

import dev.strata.examples.orders.inventory.StockEvent.StockReleased;
import dev.strata.examples.orders.inventory.StockEvent.StockReservationFailed;
import dev.strata.examples.orders.inventory.StockEvent.StockReserved;
import dev.strata.examples.orders.order.OrderEvent;
import dev.strata.examples.orders.order.OrderEvent.OrderCancelled;
import dev.strata.examples.orders.order.OrderEvent.OrderConfirmed;
import dev.strata.examples.orders.order.OrderEvent.OrderPlaced;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentCaptured;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentFailed;
import dev.strata.examples.orders.payment.PaymentEvent.PaymentRefunded;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentCancelled;
import dev.strata.examples.orders.shipping.ShipmentEvent.ShipmentScheduled;
import dev.strata.projections.DecodedEvent;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ValueCodec;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The order list: one {@link OrderSummary} per order id, joined from the events of the four services. This is what a
 * shop's "my orders" page reads: no service has this shape, the log has everything to build it.
 */
public final class OrderListProjection implements Projection<String, OrderSummary> {

    public static final String NAME = "order-list";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyCodec<String> keyCodec() {
        return KeyCodec.string();
    }

    @Override
    public ValueCodec<OrderSummary> valueCodec() {
        return ValueCodec.json(OrderSummary.class, OrderEvent.TYPES.objectMapper()); // a mapper that knows java.time
    }

    @Override
    public void handle(DecodedEvent event, ProjectionContext<String, OrderSummary> orders) {
        Instant at = event.event().timestamp(); // the commit time, never the clock: a replay must give the same rows
        long position = event.position();
        Object data = event.data();
        if (data instanceof OrderPlaced placed) {
            orders.put(placed.orderId(), new OrderSummary(placed.orderId(), placed.customer(), placed.sku(), placed.quantity(),
                    placed.totalCents(), OrderStatus.PLACED, null, null, null, null, at, at, position));
        } else if (data instanceof StockReserved reserved) {
            update(orders, reserved.orderId(), row -> row.withStock("reserved", at, position));
        } else if (data instanceof StockReservationFailed failed) {
            update(orders, failed.orderId(), row -> row.withStock("out of stock", at, position));
        } else if (data instanceof StockReleased released) {
            update(orders, released.orderId(), row -> row.withStock("released", at, position));
        } else if (data instanceof PaymentCaptured captured) {
            update(orders, captured.orderId(), row -> row.withPayment("captured", at, position));
        } else if (data instanceof PaymentFailed failed) {
            update(orders, failed.orderId(), row -> row.withPayment("declined", at, position));
        } else if (data instanceof PaymentRefunded refunded) {
            update(orders, refunded.orderId(), row -> row.withPayment("refunded", at, position));
        } else if (data instanceof ShipmentScheduled scheduled) {
            update(orders, scheduled.orderId(), row -> row.withShipment(scheduled.shipmentId(), at, position));
        } else if (data instanceof ShipmentCancelled cancelled) {
            update(orders, cancelled.orderId(), row -> row.withShipment("cancelled", at, position));
        } else if (data instanceof OrderConfirmed confirmed) {
            update(orders, confirmed.orderId(), row -> row.withStatus(OrderStatus.CONFIRMED, null, at, position));
        } else if (data instanceof OrderCancelled cancelled) {
            update(orders, cancelled.orderId(), row -> row.withStatus(OrderStatus.CANCELLED, cancelled.reason(), at, position));
        }
    }

    /** Events about an order arrive after its OrderPlaced (the saga places it first), so the row is there. */
    private static void update(ProjectionContext<String, OrderSummary> orders, String orderId, UnaryOperator<OrderSummary> change) {
        orders.get(orderId).ifPresent(row -> orders.put(orderId, change.apply(row)));
    }
}
