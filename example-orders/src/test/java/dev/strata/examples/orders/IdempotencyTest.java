package dev.strata.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.examples.orders.inventory.InventoryService;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaMessages;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency as in the worked example: retried commands place one order; redelivered messages undo nothing twice. */
class IdempotencyTest {

    @TempDir
    Path data;

    private final AtomicReference<Runnable> beforeEachCall = new AtomicReference<>(() -> { });
    private OrderSystem shop;

    @BeforeEach
    void open() {
        shop = open(data);
        shop.restock("widget", 10);
    }

    private OrderSystem open(Path directory) {
        return OrderSystem.builder(directory).durability(Durability.OS).beforeParticipantCall(() -> beforeEachCall.get().run()).open();
    }

    @AfterEach
    void close() {
        shop.close();
    }

    private List<RecordedEvent> events(String stream) {
        try (Stream<RecordedEvent> events = shop.store().readStream(stream, 0, Direction.FORWARD, 10_000)) {
            return events.toList();
        }
    }

    private long count(String stream, String type, String orderId) {
        return events(stream).stream().filter(event -> event.type().equals(type)
                && event.metadata().correlationId().filter(orderId::equals).isPresent()).count();
    }

    @Test
    void aRetriedPlaceOrderWithTheSameIdPlacesOneOrder() throws Exception {
        OrderRequest request = OrderRequest.of("ada", "widget", 1, "tok_visa");

        PlacedOrder first = shop.placeOrder(request);
        PlacedOrder retry = shop.placeOrder(request); // while the first may still be running
        SagaSummary outcome = first.outcome().get(30, TimeUnit.SECONDS);
        SagaSummary retriedOutcome = retry.outcome().get(30, TimeUnit.SECONDS);

        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.orderId()).isEqualTo(first.orderId());
        assertThat(outcome.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(retriedOutcome.lastPosition()).isEqualTo(outcome.lastPosition());
        assertThat(events(OrderService.stream(request.orderId()))).extracting(RecordedEvent::type)
                .containsExactly("OrderPlaced", "OrderConfirmed");
        assertThat(SagaLog.search(shop.store(), SagaQuery.all().id(request.orderId()))).hasSize(1);
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(9, 1));
        assertThat(count(PaymentService.stream(request.orderId()), "PaymentCaptured", request.orderId())).isEqualTo(1);
    }

    @Test
    void retriesRacingEachOtherStillPlaceOneOrder() throws Exception {
        OrderRequest request = OrderRequest.of("ada", "widget", 2, "tok_visa");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<PlacedOrder>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(clients.submit((Callable<PlacedOrder>) () -> shop.placeOrder(request)));
            }
            List<PlacedOrder> placed = new ArrayList<>();
            for (Future<PlacedOrder> attempt : attempts) {
                placed.add(attempt.get(30, TimeUnit.SECONDS));
            }
            assertThat(placed).filteredOn(order -> !order.duplicate()).hasSize(1);
            placed.get(0).outcome().get(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
        }
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(8, 2));
        assertThat(events(OrderService.stream(request.orderId()))).hasSize(2);
    }

    @Test
    void theSameOrderIdForAnotherOrderIsRefused() throws Exception {
        OrderRequest request = OrderRequest.of("ada", "widget", 1, "tok_visa");
        shop.placeOrder(request).outcome().get(30, TimeUnit.SECONDS);
        long head = shop.store().headPosition();

        assertThatThrownBy(() -> shop.placeOrder(new OrderRequest(request.orderId(), "ada", "widget", 3, "tok_visa")))
                .isInstanceOf(OrderIdInUseException.class)
                .hasMessageContaining("was placed as ada buys 1 x widget with tok_visa");
        assertThat(shop.store().headPosition()).isEqualTo(head);
    }

    @Test
    void aPaymentFailedDeliveredTwiceReleasesTheStockOnce() throws Exception {
        OrderRequest request = OrderRequest.of("bob", "widget", 3, "tok_chargeDeclined");
        String id = request.orderId();
        String replies = SagaMessages.replyStream(PaymentService.PARTICIPANT);
        AtomicReference<UUID> redelivered = new AtomicReference<>();
        beforeEachCall.set(() -> {
            // The first compensation is about to run: deliver the PaymentFailed reply again, as a broker might.
            boolean compensating = shop.saga(id).map(saga -> saga.status() == SagaStatus.COMPENSATING).orElse(false);
            if (compensating && redelivered.get() == null) {
                RecordedEvent reply = lastReply(replies, id).orElseThrow();
                UUID copy = UUID.randomUUID();
                shop.store().append(replies, ExpectedVersion.any(), reply.toEventData().withId(copy));
                redelivered.set(copy);
                pause(); // give the orchestrator time to receive the copy while the saga compensates
            }
        });

        SagaSummary outcome = shop.placeOrder(request).outcome().get(30, TimeUnit.SECONDS);

        assertThat(redelivered.get()).as("the reply was delivered a second time").isNotNull();
        assertThat(outcome.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(count(replies, "PaymentFailed", id)).isEqualTo(2);
        assertThat(count(InventoryService.stream("widget"), "StockReleased", id)).isEqualTo(1);
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(10, 0));

        // And after a restart, which reads the replies again, still once.
        shop.close();
        shop = open(data);
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.sagas().activeSagas() == 0);
        assertThat(shop.saga(id).orElseThrow().version()).isEqualTo(outcome.version());
        assertThat(count(InventoryService.stream("widget"), "StockReleased", id)).isEqualTo(1);
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(10, 0));
    }

    @Test
    void aCompensationRunTwiceWithTheSameKeyReleasesOnce() {
        shop.inventory().reserve("place_order:o9:reserve", "o9", "widget", 2);

        shop.inventory().release("place_order:o9:reserve:compensation", "o9", "widget", 2);
        shop.inventory().release("place_order:o9:reserve:compensation", "o9", "widget", 2);

        assertThat(count(InventoryService.stream("widget"), "StockReleased", "o9")).isEqualTo(1);
        assertThat(shop.inventory().stock("widget")).isEqualTo(new Stock(10, 0));
    }

    @Test
    void aChargeCommandDeliveredTwiceChargesOnce() throws Exception {
        OrderRequest request = OrderRequest.of("cy", "widget", 1, "tok_visa");
        String id = request.orderId();
        shop.placeOrder(request).outcome().get(30, TimeUnit.SECONDS);
        String commands = SagaMessages.commandStream(PaymentService.PARTICIPANT);
        RecordedEvent charge = events(commands).stream()
                .filter(event -> event.metadata().correlationId().filter(id::equals).isPresent()).findFirst().orElseThrow();

        UUID copy = UUID.randomUUID();
        shop.store().append(commands, ExpectedVersion.any(), charge.toEventData().withId(copy));

        String replies = SagaMessages.replyStream(PaymentService.PARTICIPANT);
        await().atMost(Duration.ofSeconds(10)).until(() -> events(replies).stream()
                .anyMatch(reply -> reply.metadata().causationId().filter(copy.toString()::equals).isPresent()));
        assertThat(count(PaymentService.stream(id), "PaymentCaptured", id)).isEqualTo(1);
        assertThat(shop.payments().payment(id).amountCents()).isEqualTo(42_00);
    }

    private Optional<RecordedEvent> lastReply(String replies, String orderId) {
        try (Stream<RecordedEvent> last = shop.store().readStream(replies, StreamVersions.END, Direction.BACKWARD, 10)) {
            return last.filter(event -> event.metadata().correlationId().filter(orderId::equals).isPresent()).findFirst();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
