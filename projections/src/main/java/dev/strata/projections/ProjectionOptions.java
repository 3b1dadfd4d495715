package dev.strata.projections;

import dev.strata.eventstore.ValidationException;

/**
 * How a pipeline runs one projection.
 *
 * @param partitions how many threads apply its events, each the events of a share of the keys
 *                   ({@link Projection#keyOf}), in order per key; 1 by default. With more than one, the rows an
 *                   event writes must belong to its key alone (no shared counters), because partitions run in
 *                   parallel. Fixed for a generation: changing it needs a rebuild.
 * @param poisonPolicy what happens when the handler throws; {@link PoisonPolicy#STOP} by default
 */
public record ProjectionOptions(int partitions, PoisonPolicy poisonPolicy) {

    public static final int MAX_PARTITIONS = 64;

    public ProjectionOptions {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new ValidationException("partitions", partitions, "must be between 1 and " + MAX_PARTITIONS);
        }
        if (poisonPolicy == null) {
            throw new ValidationException("poisonPolicy", null, "must be STOP or PARK");
        }
    }

    public static ProjectionOptions defaults() {
        return new ProjectionOptions(1, PoisonPolicy.STOP);
    }

    public ProjectionOptions withPartitions(int count) {
        return new ProjectionOptions(count, poisonPolicy);
    }

    public ProjectionOptions withPoisonPolicy(PoisonPolicy policy) {
        return new ProjectionOptions(partitions, policy);
    }
}
