package dev.strata.projections;

import dev.strata.eventstore.ValidationException;
import java.util.OptionalLong;

/**
 * An offline rebuild (see {@link ProjectionPipeline#replay}).
 *
 * @param projection the projection's name
 * @param generation the generation to build: higher than every stored one; empty for the next one. Naming the
 *                   generation of an interrupted replay or rebuild goes on with it from its checkpoint.
 * @param from       the first position to apply (0 by default); events before it are not applied
 * @param verify     compare the result with the serving generation at that generation's checkpoint; with
 *                   differences, the new generation is dropped instead of switched in
 */
public record ReplayRequest(String projection, OptionalLong generation, OptionalLong from, boolean verify) {

    public ReplayRequest {
        if (projection == null) {
            throw new ValidationException("projection", null, "must name a projection");
        }
        if (generation == null || from == null) {
            throw new ValidationException("generation/from", null, "must not be null (use OptionalLong.empty())");
        }
        if (generation.isPresent() && generation.getAsLong() < 1) {
            throw new ValidationException("generation", generation.getAsLong(), "must be >= 1");
        }
        if (from.isPresent() && from.getAsLong() < 0) {
            throw new ValidationException("from", from.getAsLong(), "must be >= 0");
        }
    }

    public static ReplayRequest of(String projection) {
        return new ReplayRequest(projection, OptionalLong.empty(), OptionalLong.empty(), false);
    }
}
