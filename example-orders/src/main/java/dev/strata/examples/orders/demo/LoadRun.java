package dev.strata.examples.orders.demo;

import dev.strata.eventstore.Durability;
import dev.strata.examples.orders.Catalog;
import dev.strata.examples.orders.OrderIds;
import dev.strata.examples.orders.OrderRequest;
import dev.strata.examples.orders.OrderSystem;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code strata demo --load N}: N orders from a seeded mix of products, quantities and cards, kept {@code concurrency}
 * at a time (each client places an order and waits for its outcome), with a progress bar; then throughput, latency,
 * outcomes, the read models, and checks that the read models and the stock moved by exactly what the orders did.
 */
final class LoadRun {

    private static final Duration WAIT = Duration.ofMinutes(2);
    /** Cards, most accepted; the weights are a shop on a normal day. */
    private static final String[] CARDS = {"tok_visa", "tok_mastercard", "tok_chargeDeclined", "tok_chargeDeclinedInsufficientFunds"};
    private static final int[] CARD_WEIGHTS = {60, 30, 6, 4};
    /** gizmo is the scarce one: it sells out during the run. */
    private static final String[] SKUS = {"widget", "gadget", "gizmo"};
    private static final int[] SKU_WEIGHTS = {55, 35, 10};

    private final PrintWriter out;
    private final Path data;
    private final Durability durability;
    private final PublishedEvents published;
    private final String relayName;
    private final int orders;
    private final int concurrency;
    private final long seed;
    private final List<String> problems = new ArrayList<>();

    LoadRun(PrintWriter out, Path data, Durability durability, PublishedEvents published, String relayName, int orders,
            int concurrency, long seed) {
        this.out = out;
        this.data = data;
        this.durability = durability;
        this.published = published.countingOnly();
        this.relayName = relayName;
        this.orders = orders;
        this.concurrency = concurrency;
        this.seed = seed;
    }

    /** What one order asked and how it ended. */
    private record Outcome(OrderRequest request, SagaStatus status, long micros) {
    }

    int run() throws Exception {
        List<OrderRequest> requests = requests();
        try (OrderSystem shop = OrderSystem.builder(data).durability(durability).relay(relayName, published).open()) {
            out.printf("Strata demo --load: %,d orders, %d at a time, on %s (%s)%n", orders, concurrency, data.toAbsolutePath().normalize(), durability);
            Map<String, Stock> stockBefore = restock(shop, requests);
            Map<String, Long> countsBefore = counts(shop);
            long headBefore = shop.store().headPosition();

            Outcome[] outcomes = new Outcome[orders];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Progress progress = new Progress(out, System.console() != null, orders);
            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        SagaSummary outcome = shop.placeOrder(requests.get(i)).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        outcomes[i] = new Outcome(requests.get(i), outcome.status(), (System.nanoTime() - t0) / 1000);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            clients.shutdown();
            while (!clients.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                progress.show(done.get(), "");
            }
            progress.show(done.get(), "");
            progress.finish();
            for (Future<?> client : running) {
                client.get(); // a client that failed fails the run, with its cause
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long head = shop.store().headPosition();
            shop.awaitReadModels(head, WAIT);
            shop.relay().orElseThrow().awaitCheckpoint(head, WAIT);
            report(shop, outcomes, seconds, head - headBefore, stockBefore, countsBefore);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private List<OrderRequest> requests() {
        Random random = new Random(seed);
        String run = OrderIds.random().substring(0, 6);
        List<OrderRequest> requests = new ArrayList<>(orders);
        for (int i = 0; i < orders; i++) {
            int roll = random.nextInt(10);
            int quantity = roll < 7 ? 1 : roll < 9 ? 2 : 3;
            requests.add(new OrderRequest(String.format("%s-%06d", run, i), "customer" + random.nextInt(500),
                    pick(SKUS, SKU_WEIGHTS, random), quantity, pick(CARDS, CARD_WEIGHTS, random)));
        }
        return requests;
    }

    private static String pick(String[] values, int[] weights, Random random) {
        int roll = random.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; i < values.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /** Enough widgets and gadgets for every order; gizmos for about a third of those who want one. */
    private Map<String, Stock> restock(OrderSystem shop, List<OrderRequest> requests) {
        Map<String, Integer> wanted = new TreeMap<>();
        requests.forEach(request -> wanted.merge(request.sku(), request.quantity(), Integer::sum));
        Map<String, Stock> before = new LinkedHashMap<>();
        for (String sku : Catalog.skus()) {
            Stock stock = shop.inventory().stock(sku);
            int need = wanted.getOrDefault(sku, 0);
            int target = sku.equals("gizmo") ? Math.max(1, need / 3) : need;
            int add = sku.equals("gizmo") ? target : Math.max(0, target - stock.available());
            if (add > 0) {
                shop.restock(sku, add);
                stock = shop.inventory().stock(sku);
            }
            before.put(sku, stock);
            out.printf("  stock %-7s %,6d available (%,d wanted)%n", sku, stock.available(), need);
        }
        return before;
    }

    private static Map<String, Long> counts(OrderSystem shop) {
        shop.awaitReadModels(shop.store().headPosition(), WAIT);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (OrderStatus status : List.of(OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.CANCELLED)) {
            counts.put(status.name(), shop.orderCounts().get(status.name()).orElse(0L));
        }
        return counts;
    }

    private void report(OrderSystem shop, Outcome[] outcomes, double seconds, long events, Map<String, Stock> stockBefore,
                        Map<String, Long> countsBefore) {
        long confirmed = Arrays.stream(outcomes).filter(o -> o.status() == SagaStatus.COMPLETED).count();
        long cancelled = Arrays.stream(outcomes).filter(o -> o.status() == SagaStatus.COMPENSATED).count();
        long[] micros = Arrays.stream(outcomes).mapToLong(Outcome::micros).sorted().toArray();
        out.println();
        out.printf("  %,d orders in %.1f s: %,.0f orders/s; %,d events appended, %,.0f events/s%n", orders, seconds, orders / seconds,
                events, events / seconds);
        out.printf("  time to outcome (place to confirmed or cancelled): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                percentile(micros, 0.50) / 1000.0, percentile(micros, 0.99) / 1000.0, micros[micros.length - 1] / 1000.0);

        Map<String, Long> reasons = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            if (outcome.status() == SagaStatus.COMPENSATED) {
                String reason = shop.orderList().get(outcome.request().orderId()).map(OrderSummary::reason).orElse("?");
                reasons.merge(reason.startsWith("out of stock") ? "out of stock" : reason, 1L, Long::sum);
            }
        }
        out.printf("  outcomes: %,d confirmed, %,d cancelled %s%n", confirmed, cancelled, reasons);
        out.printf("  relay: %,d order events published to %s%n", published.count(), published.describe());
        out.println();
        Map<String, Long> countsAfter = counts(shop);
        out.printf("  order-counts  PLACED %,d, CONFIRMED %,d, CANCELLED %,d%n", countsAfter.get("PLACED"), countsAfter.get("CONFIRMED"),
                countsAfter.get("CANCELLED"));
        for (String sku : Catalog.skus()) {
            shop.stockLevels().get(sku).ifPresent(level -> out.printf("  stock-levels  %s%n", ReadModelPhotos.stock(level)));
        }

        // Checks: the read models and the stock moved by exactly what the orders did.
        check(countsAfter.get("CONFIRMED") - countsBefore.get("CONFIRMED") == confirmed, "order-counts CONFIRMED moved by " + confirmed);
        check(countsAfter.get("CANCELLED") - countsBefore.get("CANCELLED") == cancelled, "order-counts CANCELLED moved by " + cancelled);
        check(countsAfter.get("PLACED").equals(countsBefore.get("PLACED")), "order-counts PLACED back where it was");
        check(confirmed + cancelled == orders, "every saga finished (" + (orders - confirmed - cancelled) + " did not)");
        for (String sku : Catalog.skus()) {
            long sold = Arrays.stream(outcomes).filter(o -> o.status() == SagaStatus.COMPLETED && o.request().sku().equals(sku))
                    .mapToLong(o -> o.request().quantity()).sum();
            Stock before = stockBefore.get(sku);
            Stock after = shop.inventory().stock(sku);
            check(after.available() == before.available() - sold && after.reserved() == before.reserved() + sold,
                    sku + " stock moved by exactly the " + sold + " confirmed");
            StockLevel level = shop.stockLevels().get(sku).orElse(new StockLevel(sku, 0, 0));
            check(level.available() == after.available() && level.reserved() == after.reserved(),
                    "stock-levels " + sku + " equals the inventory's own count");
        }
        out.println();
        if (problems.isEmpty()) {
            out.println("  checks: OK (the counts moved by exactly the outcomes; each product's stock by exactly its confirmed orders)");
        } else {
            problems.forEach(problem -> out.println("  check FAILED: " + problem));
        }
        out.flush();
    }

    private void check(boolean holds, String what) {
        if (!holds) {
            problems.add(what);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
