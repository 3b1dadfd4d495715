package dev.strata.examples.orders.order;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.model.CommandHandler;
import dev.strata.eventstore.model.CommandResult;
import dev.strata.examples.orders.StepCommands;
import dev.strata.examples.orders.order.OrderCommand.CancelOrder;
import dev.strata.examples.orders.order.OrderCommand.ConfirmOrder;
import dev.strata.examples.orders.order.OrderCommand.PlaceOrder;

/** The order service: one stream per order, {@code order-<orderId>}, kept by the {@link OrderDecider}. */
public final class OrderService {

    private final CommandHandler<OrderCommand, OrderEvent, Order> orders;

    public OrderService(EventStore store) {
        this.orders = CommandHandler.builder(store, new OrderDecider(), OrderEvent.TYPES).name("order").build();
    }

    public static String stream(String orderId) {
        return "order-" + orderId;
    }

    public CommandResult<OrderEvent> place(String idempotencyKey, PlaceOrder command) {
        return orders.handle(StepCommands.command(stream(command.orderId()), command, idempotencyKey, command.orderId()));
    }

    public CommandResult<OrderEvent> confirm(String idempotencyKey, String orderId, String shipmentId) {
        return orders.handle(StepCommands.command(stream(orderId), new ConfirmOrder(shipmentId), idempotencyKey, orderId));
    }

    public CommandResult<OrderEvent> cancel(String idempotencyKey, String orderId, String reason) {
        return orders.handle(StepCommands.command(stream(orderId), new CancelOrder(reason), idempotencyKey, orderId));
    }

    /** The order as its events say now (for checks and tools; queries go to the read models). */
    public Order order(String orderId) {
        return orders.currentState(stream(orderId));
    }
}
