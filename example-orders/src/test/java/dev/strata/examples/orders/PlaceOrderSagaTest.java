package dev.strata.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.examples.orders.inventory.InventoryService;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.shipping.ShippingService;
import dev.strata.saga.ParticipantReply;
import dev.strata.saga.PermanentFailure;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.testing.SagaFixture;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saga's rules with SagaFixture: no orchestrator, no threads, virtual time. The local steps call the real
 * services on a real store (that is what they are); the payment, a message step, answers as each test says.
 */
class PlaceOrderSagaTest {

    @TempDir
    Path data;

    private EventStore store;
    private OrderService orders;
    private InventoryService inventory;
    private SagaDefinition<PlaceOrderSaga.State> saga;

    @BeforeEach
    void open() {
        store = EventStore.builder().directory(data).durability(Durability.OS).open();
        orders = new OrderService(store);
        inventory = new InventoryService(store);
        saga = PlaceOrderSaga.definition(orders, inventory, new ShippingService(store, Clock.systemUTC()), store);
        inventory.restock("widget", 5);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SagaFixture<PlaceOrderSaga.State> order(String id, String sku, int quantity) {
        OrderRequest request = new OrderRequest(id, "ada", sku, quantity, "tok_visa");
        return SagaFixture.of(saga).givenSagaId(id).given(PlaceOrderSaga.State.of(request));
    }

    @Test
    void everyStepSucceeds() {
        order("o1", "widget", 2).run()
                .thenStatus(SagaStatus.COMPLETED)
                .thenSucceeded("place", "reserve", "charge", "ship", "confirm")
                .thenState(state -> "shp-o1".equals(state.shipmentId()), "the shipment id is in the saga's state");

        assertThat(orders.order("o1").status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(inventory.stock("widget")).isEqualTo(new Stock(3, 2));
    }

    @Test
    void aDeclinedCardUndoesTheReservationAndThePlacement() {
        order("o2", "widget", 1)
                .whenReply("charge", new ParticipantReply(ParticipantReply.Outcome.PERMANENT_FAILURE, "PaymentFailed",
                        "{\"reason\":\"card declined\"}", "card declined"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenSucceeded("place", "reserve")
                .thenCompensated("reserve", "place");

        assertThat(orders.order("o2").status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(inventory.stock("widget")).isEqualTo(new Stock(5, 0));
    }

    @Test
    void missingStockFailsTheReservationForGoodWithoutRetrying() {
        order("o3", "widget", 6).run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenTried("reserve", 1)
                .thenCompensated("place");

        assertThat(orders.order("o3").status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(inventory.stock("widget")).isEqualTo(new Stock(5, 0));
    }

    @Test
    void aShipmentThatCannotBeBookedRefundsTheCardToo() {
        order("o4", "widget", 1)
                .whenStepFails("ship", new PermanentFailure("no courier"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenSucceeded("place", "reserve", "charge")
                .thenCompensated("charge", "reserve", "place");

        assertThat(inventory.stock("widget")).isEqualTo(new Stock(5, 0));
    }
}
