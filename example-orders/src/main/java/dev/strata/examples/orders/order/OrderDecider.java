package dev.strata.examples.orders.order;

import dev.strata.eventstore.model.Decider;
import dev.strata.examples.orders.order.OrderCommand.CancelOrder;
import dev.strata.examples.orders.order.OrderCommand.ConfirmOrder;
import dev.strata.examples.orders.order.OrderCommand.PlaceOrder;
import dev.strata.examples.orders.order.OrderEvent.OrderCancelled;
import dev.strata.examples.orders.order.OrderEvent.OrderConfirmed;
import dev.strata.examples.orders.order.OrderEvent.OrderPlaced;
import java.util.List;

/**
 * The order's rules: placed once; then either confirmed or cancelled, never both. Confirming a confirmed order or
 * cancelling a cancelled one changes nothing (the saga may repeat a step), the other way round is refused.
 */
public final class OrderDecider implements Decider<OrderCommand, OrderEvent, Order> {

    @Override
    public Order initialState() {
        return Order.NONE;
    }

    @Override
    public List<OrderEvent> decide(OrderCommand command, Order order) {
        if (command instanceof PlaceOrder place) {
            if (order.status() != OrderStatus.NONE) {
                throw new OrderRejected(place.orderId(), "already placed");
            }
            return List.of(new OrderPlaced(place.orderId(), place.customer(), place.sku(), place.quantity(),
                    place.unitPriceCents(), place.unitPriceCents() * place.quantity()));
        }
        if (command instanceof ConfirmOrder confirm) {
            return switch (order.status()) {
                case PLACED -> List.of(new OrderConfirmed(order.orderId(), confirm.shipmentId()));
                case CONFIRMED -> List.of();
                case NONE -> throw new OrderRejected("?", "cannot confirm an order that was never placed");
                case CANCELLED -> throw new OrderRejected(order.orderId(), "cannot confirm a cancelled order");
            };
        }
        CancelOrder cancel = (CancelOrder) command;
        return switch (order.status()) {
            case PLACED -> List.of(new OrderCancelled(order.orderId(), cancel.reason()));
            case NONE, CANCELLED -> List.of(); // nothing to cancel: compensations must accept an action that never happened
            case CONFIRMED -> throw new OrderRejected(order.orderId(), "cannot cancel a confirmed order");
        };
    }

    @Override
    public Order evolve(Order order, OrderEvent event) {
        if (event instanceof OrderPlaced placed) {
            return new Order(OrderStatus.PLACED, placed.orderId());
        }
        if (event instanceof OrderConfirmed) {
            return new Order(OrderStatus.CONFIRMED, order.orderId());
        }
        return new Order(OrderStatus.CANCELLED, order.orderId());
    }
}
