package dev.strata.examples.orders.demo;

import dev.strata.examples.orders.OrderSystem;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's participant hook: before each step calls its participant, waits until the read models have applied the
 * whole log, and takes a photo of them (the order's row, its product's stock, the counts). Steps run one after the
 * other, so each photo shows the read models after the previous step, exactly.
 */
final class ReadModelPhotos implements Runnable {

    /** The read models at one position of the log, as the demo shows them. */
    record Photo(long position, String order, String stock, String counts) {
    }

    private volatile OrderSystem shop;
    private volatile String orderId;
    private volatile String sku;
    private volatile Runnable alsoBeforeEachCall = () -> { };
    private final List<Photo> photos = new ArrayList<>();

    void attach(OrderSystem system) {
        this.shop = system;
    }

    /** Photograph the read models for this order from now on (and forget earlier photos). */
    synchronized void follow(String order, String product, Runnable extra) {
        this.orderId = order;
        this.sku = product;
        this.alsoBeforeEachCall = extra;
        photos.clear();
    }

    synchronized List<Photo> photos() {
        return List.copyOf(photos);
    }

    @Override
    public void run() {
        if (shop == null || orderId == null) {
            return; // sagas resumed while the shop opens: not part of the show
        }
        take();
        alsoBeforeEachCall.run();
    }

    /** Waits for the read models to reach the head of the log, then photographs them. */
    synchronized Photo take() {
        OrderSystem system = shop;
        long head = system.store().headPosition();
        system.awaitReadModels(head, Duration.ofSeconds(10));
        Photo photo = new Photo(head, system.orderList().get(orderId).map(ReadModelPhotos::order).orElse(orderId + " (no row yet)"),
                system.stockLevels().get(sku).map(ReadModelPhotos::stock).orElse(sku + " (no row yet)"),
                counts(system));
        photos.add(photo);
        return photo;
    }

    static String order(OrderSummary row) {
        List<String> parts = new ArrayList<>();
        if (row.stock() != null) {
            parts.add("stock " + row.stock());
        }
        if (row.payment() != null) {
            parts.add("payment " + row.payment());
        }
        if (row.shipment() != null) {
            parts.add("shipment " + row.shipment());
        }
        if (row.reason() != null) {
            parts.add("reason: " + row.reason());
        }
        return row.orderId() + " " + row.status() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    static String stock(StockLevel level) {
        return level.sku() + " " + level.available() + " available, " + level.reserved() + " reserved";
    }

    static String counts(OrderSystem system) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (OrderStatus status : List.of(OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.CANCELLED)) {
            counts.put(status.name(), system.orderCounts().get(status.name()).orElse(0L));
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(status + " " + count));
        return String.join(", ", parts);
    }
}
