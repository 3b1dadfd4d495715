package dev.strata.examples.orders.readmodel;

import dev.strata.projections.ProjectionPipelineBuilder;
import dev.strata.projections.ProjectionProvider;

/**
 * The example's read models and their decoder, in one place: the application registers them with this provider, and
 * so does {@code strata replay} (it finds the provider through {@code META-INF/services}), so both agree on what the
 * read models are.
 */
public final class OrderProjections implements ProjectionProvider {

    public static final OrderListProjection ORDER_LIST = new OrderListProjection();
    public static final StockLevelsProjection STOCK_LEVELS = new StockLevelsProjection();
    public static final OrderCountsProjection ORDER_COUNTS = new OrderCountsProjection();

    @Override
    public void configure(ProjectionPipelineBuilder pipeline) {
        pipeline.decoder(new OrderEventDecoder())
                .add(ORDER_LIST)
                .add(STOCK_LEVELS)
                .add(ORDER_COUNTS);
    }
}
