package dev.strata.examples.orders.readmodel;

import dev.strata.examples.orders.inventory.StockEvent.StockAdded;
import dev.strata.examples.orders.inventory.StockEvent.StockReleased;
import dev.strata.examples.orders.inventory.StockEvent.StockReserved;
import dev.strata.projections.DecodedEvent;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ValueCodec;

/** Stock levels: one {@link StockLevel} per product, for the shop's "in stock" badges and the warehouse's dashboard. */
public final class StockLevelsProjection implements Projection<String, StockLevel> {

    public static final String NAME = "stock-levels";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyCodec<String> keyCodec() {
        return KeyCodec.string();
    }

    @Override
    public ValueCodec<StockLevel> valueCodec() {
        return ValueCodec.json(StockLevel.class);
    }

    @Override
    public void handle(DecodedEvent event, ProjectionContext<String, StockLevel> levels) {
        Object data = event.data();
        if (data instanceof StockAdded added) {
            change(levels, added.sku(), added.quantity(), 0);
        } else if (data instanceof StockReserved reserved) {
            change(levels, reserved.sku(), -reserved.quantity(), reserved.quantity());
        } else if (data instanceof StockReleased released) {
            change(levels, released.sku(), released.quantity(), -released.quantity());
        }
    }

    private static void change(ProjectionContext<String, StockLevel> levels, String sku, int available, int reserved) {
        StockLevel level = levels.get(sku).orElse(new StockLevel(sku, 0, 0));
        levels.put(sku, new StockLevel(sku, level.available() + available, level.reserved() + reserved));
    }
}
