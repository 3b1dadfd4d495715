package dev.strata.examples.orders.readmodel;

import dev.strata.examples.orders.order.OrderEvent.OrderCancelled;
import dev.strata.examples.orders.order.OrderEvent.OrderConfirmed;
import dev.strata.examples.orders.order.OrderEvent.OrderPlaced;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.projections.DecodedEvent;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ValueCodec;

/**
 * Order counts by status ({@code PLACED}, i.e. in progress, {@code CONFIRMED}, {@code CANCELLED}): a dashboard's
 * numbers. The order's rules give each order one OrderPlaced and at most one of OrderConfirmed and OrderCancelled, so
 * moving a count needs no memory of the order's previous status.
 */
public final class OrderCountsProjection implements Projection<String, Long> {

    public static final String NAME = "order-counts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyCodec<String> keyCodec() {
        return KeyCodec.string();
    }

    @Override
    public ValueCodec<Long> valueCodec() {
        return ValueCodec.int64();
    }

    @Override
    public void handle(DecodedEvent event, ProjectionContext<String, Long> counts) {
        Object data = event.data();
        if (data instanceof OrderPlaced) {
            add(counts, OrderStatus.PLACED, 1);
        } else if (data instanceof OrderConfirmed) {
            add(counts, OrderStatus.PLACED, -1);
            add(counts, OrderStatus.CONFIRMED, 1);
        } else if (data instanceof OrderCancelled) {
            add(counts, OrderStatus.PLACED, -1);
            add(counts, OrderStatus.CANCELLED, 1);
        }
    }

    private static void add(ProjectionContext<String, Long> counts, OrderStatus status, long delta) {
        counts.put(status.name(), counts.get(status.name()).orElse(0L) + delta);
    }
}
