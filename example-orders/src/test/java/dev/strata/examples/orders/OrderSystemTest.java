package dev.strata.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.examples.orders.inventory.InventoryService;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.examples.orders.payment.PaymentStatus;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.examples.orders.shipping.ShippingService;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three paths of the worked example, end to end on a real store: every service's streams and every read model. */
class OrderSystemTest {

    @TempDir
    Path data;

    private OrderSystem shop;

    @BeforeEach
    void open() {
        shop = OrderSystem.builder(data).durability(Durability.OS).open();
        shop.restock("widget", 10);
        shop.restock("gizmo", 1);
    }

    @AfterEach
    void close() {
        shop.close();
    }

    private SagaSummary place(OrderRequest request) throws Exception {
        PlacedOrder placed = shop.placeOrder(request);
        SagaSummary done = placed.outcome().get(30, TimeUnit.SECONDS);
        shop.awaitReadModels(done.lastPosition(), Duration.ofSeconds(10));
        return done;
    }

    private List<String> types(String stream) {
        try (Stream<RecordedEvent> events = shop.store().readStream(stream, 0, Direction.FORWARD, 100)) {
            return events.map(RecordedEvent::type).toList();
        }
    }

    @Test
    void anOrderThatSucceedsHoldsTheStockChargesTheCardBooksTheShipmentAndIsConfirmed() throws Exception {
        OrderRequest request = OrderRequest.of("ada", "widget", 2, "tok_visa");

        SagaSummary done = place(request);

        String id = request.orderId();
        assertThat(done.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(types(OrderService.stream(id))).containsExactly("OrderPlaced", "OrderConfirmed");
        assertThat(types(PaymentService.stream(id))).containsExactly("PaymentCaptured");
        assertThat(types(ShippingService.stream(id))).containsExactly("ShipmentScheduled");
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(8, 2));
        assertThat(shop.payments().payment(id).amountCents()).isEqualTo(2 * 42_00);

        OrderSummary row = shop.orderList().get(id).orElseThrow();
        assertThat(row.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(row.stock()).isEqualTo("reserved");
        assertThat(row.payment()).isEqualTo("captured");
        assertThat(row.shipment()).isEqualTo("shp-" + id);
        assertThat(row.totalCents()).isEqualTo(84_00);
        assertThat(shop.stockLevels().get("widget")).contains(new StockLevel("widget", 8, 2));
        assertThat(shop.orderCounts().get("CONFIRMED")).contains(1L);
        assertThat(shop.orderCounts().get("PLACED")).contains(0L);
    }

    @Test
    void aDeclinedCardReleasesTheStockAndCancelsTheOrder() throws Exception {
        OrderRequest request = OrderRequest.of("bob", "widget", 1, "tok_chargeDeclined");

        SagaSummary done = place(request);

        String id = request.orderId();
        assertThat(done.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(types(OrderService.stream(id))).containsExactly("OrderPlaced", "OrderCancelled");
        assertThat(types(PaymentService.stream(id))).containsExactly("PaymentFailed");
        assertThat(types(ShippingService.stream(id))).isEmpty();
        assertThat(types(InventoryService.stream("widget"))).containsExactly("StockAdded", "StockReserved", "StockReleased");
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(10, 0));

        OrderSummary row = shop.orderList().get(id).orElseThrow();
        assertThat(row.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(row.reason()).isEqualTo("card declined");
        assertThat(row.stock()).isEqualTo("released");
        assertThat(row.payment()).isEqualTo("declined");
        assertThat(shop.stockLevels().get("widget")).contains(new StockLevel("widget", 10, 0));
        assertThat(shop.orderCounts().get("CANCELLED")).contains(1L);
        assertThat(shop.orderCounts().get("PLACED")).contains(0L);
    }

    @Test
    void anOrderTheStockCannotCoverIsCancelledWithoutTouchingThePayment() throws Exception {
        OrderRequest request = OrderRequest.of("cy", "gizmo", 2, "tok_visa");

        SagaSummary done = place(request);

        String id = request.orderId();
        assertThat(done.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(done.reason()).endsWith("out of stock: 1 gizmo available, 2 ordered");
        assertThat(types(OrderService.stream(id))).containsExactly("OrderPlaced", "OrderCancelled");
        assertThat(types(InventoryService.stream("gizmo"))).containsExactly("StockAdded", "StockReservationFailed");
        assertThat(types(PaymentService.stream(id))).isEmpty();
        assertThat(shop.payments().payment(id).status()).isEqualTo(PaymentStatus.NONE);
        assertThat(shop.inventory().stock("gizmo")).isEqualTo(new Stock(1, 0));

        OrderSummary row = shop.orderList().get(id).orElseThrow();
        assertThat(row.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(row.stock()).isEqualTo("out of stock");
        assertThat(row.payment()).isNull();
        assertThat(row.reason()).isEqualTo("out of stock: 1 gizmo available, 2 ordered");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        long head = shop.store().headPosition();

        assertThatThrownBy(() -> OrderRequest.of("ada", "spaceship", 1, "tok_visa"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("sku must be one of [widget, gadget, gizmo]");
        assertThatThrownBy(() -> OrderRequest.of("ada", "widget", 0, "tok_visa"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("quantity must be between 1 and 100 but was 0");
        assertThatThrownBy(() -> OrderRequest.of("ada", "widget", 1, "4242424242424242"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("card must be a payment token");

        assertThat(shop.store().headPosition()).isEqualTo(head);
    }
}
