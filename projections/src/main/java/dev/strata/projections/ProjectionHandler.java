package dev.strata.projections;

/** The handler of a projection written as a lambda (see {@link Projection#of}). */
@FunctionalInterface
public interface ProjectionHandler<K, V> {

    void handle(DecodedEvent event, ProjectionContext<K, V> context);
}
