package dev.strata.examples.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.testing.DeciderFixture;
import dev.strata.examples.orders.order.OrderCommand.CancelOrder;
import dev.strata.examples.orders.order.OrderCommand.ConfirmOrder;
import dev.strata.examples.orders.order.OrderCommand.PlaceOrder;
import dev.strata.examples.orders.order.OrderEvent.OrderCancelled;
import dev.strata.examples.orders.order.OrderEvent.OrderConfirmed;
import dev.strata.examples.orders.order.OrderEvent.OrderPlaced;
import org.junit.jupiter.api.Test;

class OrderDeciderTest {

    private final DeciderFixture<OrderCommand, OrderEvent, Order> order = DeciderFixture.of(new OrderDecider(), OrderEvent.TYPES);
    private final OrderPlaced placed = new OrderPlaced("o1", "ada", "widget", 2, 42_00, 84_00);

    @Test
    void placingPricesTheOrder() {
        order.given().when(new PlaceOrder("o1", "ada", "widget", 2, 42_00)).then(placed)
                .thenState(new Order(OrderStatus.PLACED, "o1"));
    }

    @Test
    void anOrderIsPlacedOnce() {
        OrderRejected rejected = order.given(placed).when(new PlaceOrder("o1", "ada", "widget", 2, 42_00))
                .thenRejectedWith(OrderRejected.class);
        assertThat(rejected).hasMessage("order o1: already placed");
    }

    @Test
    void aPlacedOrderIsConfirmedOrCancelledNeverBoth() {
        order.given(placed).when(new ConfirmOrder("shp-o1")).then(new OrderConfirmed("o1", "shp-o1"));
        order.given(placed).when(new CancelOrder("card declined")).then(new OrderCancelled("o1", "card declined"));
        order.given(placed, new OrderCancelled("o1", "card declined")).when(new ConfirmOrder("shp-o1"))
                .thenRejectedWith(OrderRejected.class);
        order.given(placed, new OrderConfirmed("o1", "shp-o1")).when(new CancelOrder("late"))
                .thenRejectedWith(OrderRejected.class);
    }

    @Test
    void repeatingTheLastStepChangesNothing() {
        order.given(placed, new OrderConfirmed("o1", "shp-o1")).when(new ConfirmOrder("shp-o1")).then();
        order.given(placed, new OrderCancelled("o1", "x")).when(new CancelOrder("x")).then();
    }

    @Test
    void cancellingAnOrderThatWasNeverPlacedChangesNothing() {
        order.given().when(new CancelOrder("out of stock")).then();
    }
}
