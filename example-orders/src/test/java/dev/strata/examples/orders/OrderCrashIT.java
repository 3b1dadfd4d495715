package dev.strata.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.testkit.ChildJvm;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderEvent;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shop's process killed with SIGKILL in the middle of its sagas, three times, then restarted: every order ends
 * confirmed or cancelled, the stock is consistent with the confirmed orders, no card is charged twice, and the read
 * models agree with the services.
 */
class OrderCrashIT {

    private static final int KILLS = 3;
    private static final Map<String, Integer> STOCK = Map.of("widget", 40, "gadget", 40, "gizmo", 6);

    @TempDir
    Path dir;

    @Test
    void everyOrderEndsConfirmedOrCancelledAndTheStockAddsUpAfterKillsInTheMiddleOfSagas() throws Exception {
        Path data = dir.resolve("data");
        Path stderr = dir.resolve("child-stderr.txt");
        try (OrderSystem shop = OrderSystem.builder(data).durability(Durability.OS).open()) {
            STOCK.forEach(shop::restock);
        }
        Random random = new Random(20261128);
        Set<String> acknowledged = new HashSet<>();
        int killedWithSagasInFlight = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            try (ChildJvm child = ChildJvm.start(OrderCrashChild.class, stderr, data.toString(), "k" + kill, "12")) {
                String line;
                do {
                    line = child.nextLine(Duration.ofSeconds(90));
                    assertThat(line).as("run %d did not open; see %s", kill, stderr).isNotNull();
                } while (!line.equals("OPEN"));
                int placed = 0;
                int done = 0;
                int killAfter = 15 + random.nextInt(25);
                while (placed < killAfter) {
                    line = child.nextLine(Duration.ofSeconds(60));
                    assertThat(line).as("run %d stalled; see %s", kill, stderr).isNotNull();
                    if (line.startsWith("PLACED ")) {
                        acknowledged.add(line.substring("PLACED ".length()));
                        placed++;
                    } else if (line.startsWith("DONE ")) {
                        done++;
                    }
                }
                child.kill();
                for (String rest : child.drainedLines()) {
                    if (rest.startsWith("PLACED ")) {
                        acknowledged.add(rest.substring("PLACED ".length()));
                    }
                }
                if (done < placed) {
                    killedWithSagasInFlight++;
                }
            }
        }
        assertThat(killedWithSagasInFlight).as("kills that landed while sagas ran").isEqualTo(KILLS);

        try (OrderSystem shop = OrderSystem.builder(data).durability(Durability.OS).open()) {
            // The restart resumed every unfinished saga: wait for them all to finish.
            await().atMost(Duration.ofSeconds(120)).until(() -> SagaLog.search(shop.store(), everySaga()).stream()
                    .noneMatch(saga -> saga.status().isActive()));
            shop.awaitReadModels(shop.store().headPosition(), Duration.ofSeconds(60));
            check(shop, acknowledged);
        }
    }

    private static SagaQuery everySaga() {
        return SagaQuery.all().type(PlaceOrderSaga.TYPE).limit(100_000);
    }

    /** Per order id, how many events of each type the log holds for it (by correlation id, across every service). */
    private static Map<String, Map<String, Integer>> eventsByOrder(OrderSystem shop) {
        Map<String, Map<String, Integer>> byOrder = new HashMap<>();
        try (Stream<RecordedEvent> log = shop.store().readAll(0, Integer.MAX_VALUE)) {
            log.filter(event -> !event.stream().startsWith("$") && !event.stream().contains("."))
                    .forEach(event -> event.metadata().correlationId().ifPresent(order ->
                            byOrder.computeIfAbsent(order, o -> new HashMap<>()).merge(event.type(), 1, Integer::sum)));
        }
        return byOrder;
    }

    private static void check(OrderSystem shop, Set<String> acknowledged) {
        List<SagaSummary> sagas = SagaLog.search(shop.store(), everySaga());
        Map<String, SagaStatus> outcomes = new HashMap<>();
        sagas.forEach(saga -> outcomes.put(saga.sagaId(), saga.status()));
        assertThat(outcomes.keySet()).as("every acknowledged order has its saga").containsAll(acknowledged);
        assertThat(outcomes.values()).as("every saga finished").allMatch(SagaStatus::isFinished);

        Map<String, Map<String, Integer>> events = eventsByOrder(shop);
        Map<String, Integer> sold = new HashMap<>();
        int confirmed = 0;
        for (Map.Entry<String, SagaStatus> saga : outcomes.entrySet()) {
            String id = saga.getKey();
            Map<String, Integer> types = events.getOrDefault(id, Map.of());
            String what = "order " + id + " (" + saga.getValue() + "): " + types;
            assertThat(types.getOrDefault("OrderPlaced", 0)).as(what).isEqualTo(1);
            assertThat(types.getOrDefault("StockReserved", 0)).as(what).isLessThanOrEqualTo(1);
            assertThat(types.getOrDefault("PaymentCaptured", 0)).as("no double charge: " + what).isLessThanOrEqualTo(1);
            if (saga.getValue() == SagaStatus.COMPLETED) {
                confirmed++;
                assertThat(shop.orders().order(id).status()).as(what).isEqualTo(OrderStatus.CONFIRMED);
                assertThat(types).as(what).containsEntry("StockReserved", 1).containsEntry("PaymentCaptured", 1)
                        .containsEntry("ShipmentScheduled", 1).containsEntry("OrderConfirmed", 1)
                        .doesNotContainKeys("StockReleased", "PaymentRefunded", "ShipmentCancelled", "OrderCancelled");
                OrderEvent.OrderPlaced placed = placed(shop, id);
                sold.merge(placed.sku(), placed.quantity(), Integer::sum);
            } else {
                assertThat(shop.orders().order(id).status()).as(what).isEqualTo(OrderStatus.CANCELLED);
                assertThat(types.getOrDefault("StockReleased", 0)).as("released what was reserved: " + what)
                        .isEqualTo(types.getOrDefault("StockReserved", 0));
                assertThat(types.getOrDefault("PaymentRefunded", 0)).as("refunded what was captured: " + what)
                        .isEqualTo(types.getOrDefault("PaymentCaptured", 0));
                assertThat(types).as(what).containsEntry("OrderCancelled", 1).doesNotContainKey("OrderConfirmed");
            }
        }

        for (Map.Entry<String, Integer> product : STOCK.entrySet()) {
            String sku = product.getKey();
            int out = sold.getOrDefault(sku, 0);
            Stock expected = new Stock(product.getValue() - out, out);
            assertThat(shop.inventory().stock(sku)).as("the stock of %s holds exactly its confirmed orders", sku).isEqualTo(expected);
            assertThat(shop.stockLevels().get(sku)).contains(new StockLevel(sku, expected.available(), expected.reserved()));
        }

        assertThat(shop.orderCounts().get("CONFIRMED")).contains((long) confirmed);
        assertThat(shop.orderCounts().get("CANCELLED")).contains((long) (outcomes.size() - confirmed));
        assertThat(shop.orderCounts().get("PLACED")).contains(0L);
        for (String id : outcomes.keySet()) {
            OrderSummary row = shop.orderList().get(id).orElseThrow();
            assertThat(row.status()).as("order-list row of %s", id).isEqualTo(shop.orders().order(id).status());
        }
    }

    private static OrderEvent.OrderPlaced placed(OrderSystem shop, String id) {
        try (Stream<RecordedEvent> events = shop.store().readStream("order-" + id, 0, dev.strata.eventstore.Direction.FORWARD, 1)) {
            return (OrderEvent.OrderPlaced) OrderEvent.TYPES.decode(events.findFirst().orElseThrow()).get(0);
        }
    }
}
