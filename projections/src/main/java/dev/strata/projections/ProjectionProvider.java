package dev.strata.projections;

/**
 * How an application makes its projections known to tools that build a pipeline themselves ({@code strata replay},
 * {@code strata projections ...}): implement it, and list the class in
 * {@code META-INF/services/dev.strata.projections.ProjectionProvider}. The application's own start-up can use the
 * same provider, so both register the same projections, decoder and options:
 * {@code new OrderProjections().configure(ProjectionPipeline.builder(store))}.
 */
public interface ProjectionProvider {

    /** Adds projections (with their options) and, if needed, the event decoder to {@code pipeline}. */
    void configure(ProjectionPipelineBuilder pipeline);
}
